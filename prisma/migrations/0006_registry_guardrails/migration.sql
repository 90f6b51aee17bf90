-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN "activationReason" TEXT;
ALTER TABLE "ModelVersion" ADD COLUMN "activatedById" TEXT;
ALTER TABLE "ModelVersion" ADD COLUMN "trainingTable" TEXT;

-- CreateTable
CREATE TABLE "ModelComparison" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "candidateId" TEXT NOT NULL,
    "activeId" TEXT NOT NULL,
    "tableName" TEXT NOT NULL,
    "tableHash" TEXT,
    "status" TEXT NOT NULL,
    "verdict" TEXT,
    "progressJson" TEXT NOT NULL DEFAULT '{}',
    "resultJson" TEXT,
    "error" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "TrajectoryCapacity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "arm" TEXT NOT NULL,
    "places" INTEGER NOT NULL,
    "startsOn" DATETIME NOT NULL,
    "endsOn" DATETIME NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ApiToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    "expiresAt" DATETIME,
    "scope" TEXT NOT NULL DEFAULT 'decide',
    CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ApiToken" ("createdAt", "expiresAt", "id", "name", "revokedAt", "tokenHash", "userId") SELECT "createdAt", "expiresAt", "id", "name", "revokedAt", "tokenHash", "userId" FROM "ApiToken";
DROP TABLE "ApiToken";
ALTER TABLE "new_ApiToken" RENAME TO "ApiToken";
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ModelComparison_candidateId_idx" ON "ModelComparison"("candidateId");

-- CreateIndex
CREATE INDEX "TrajectoryCapacity_arm_idx" ON "TrajectoryCapacity"("arm");

