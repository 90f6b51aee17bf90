-- Keep effects measurable: what was shown first and with which probability, and managers' settings.
-- AlterTable
ALTER TABLE "Recommendation" ADD COLUMN "shownFirst" TEXT;
ALTER TABLE "Recommendation" ADD COLUMN "shownFirstProbability" REAL;

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedBy" TEXT
);
