-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "scope" TEXT NOT NULL DEFAULT 'decide';

-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "activationReason" TEXT,
ADD COLUMN     "activatedById" TEXT,
ADD COLUMN     "trainingTable" TEXT;

-- CreateTable
CREATE TABLE "ModelComparison" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ModelComparison_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrajectoryCapacity" (
    "id" TEXT NOT NULL,
    "arm" TEXT NOT NULL,
    "places" INTEGER NOT NULL,
    "startsOn" TIMESTAMP(3) NOT NULL,
    "endsOn" TIMESTAMP(3) NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrajectoryCapacity_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ModelComparison_candidateId_idx" ON "ModelComparison"("candidateId");

-- CreateIndex
CREATE INDEX "TrajectoryCapacity_arm_idx" ON "TrajectoryCapacity"("arm");

