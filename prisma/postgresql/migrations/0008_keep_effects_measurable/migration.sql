-- Keep effects measurable: what was shown first and with which probability, and managers' settings.
-- AlterTable
ALTER TABLE "Recommendation" ADD COLUMN     "shownFirst" TEXT,
ADD COLUMN     "shownFirstProbability" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);
