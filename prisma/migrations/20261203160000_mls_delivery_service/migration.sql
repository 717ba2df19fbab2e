-- CreateEnum
CREATE TYPE "MessageKind" AS ENUM ('APPLICATION', 'COMMIT');

-- AlterTable
ALTER TABLE "devices" ADD COLUMN     "signature_key" BYTEA;

-- AlterTable
ALTER TABLE "conversations" ADD COLUMN     "epoch" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "epoch" INTEGER,
ADD COLUMN     "kind" "MessageKind" NOT NULL DEFAULT 'APPLICATION';

-- CreateTable
CREATE TABLE "key_packages" (
    "id" UUID NOT NULL,
    "device_id" UUID NOT NULL,
    "key_package" BYTEA NOT NULL,
    "last_resort" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "key_packages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "group_devices" (
    "conversation_id" UUID NOT NULL,
    "device_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "added_seq" INTEGER NOT NULL,
    "removed_seq" INTEGER,

    CONSTRAINT "group_devices_pkey" PRIMARY KEY ("conversation_id","device_id")
);

-- CreateTable
CREATE TABLE "welcomes" (
    "id" UUID NOT NULL,
    "conversation_id" UUID NOT NULL,
    "commit_seq" INTEGER NOT NULL,
    "epoch" INTEGER NOT NULL,
    "welcome" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "welcomes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "welcome_recipients" (
    "welcome_id" UUID NOT NULL,
    "device_id" UUID NOT NULL,

    CONSTRAINT "welcome_recipients_pkey" PRIMARY KEY ("welcome_id","device_id")
);

-- CreateIndex
CREATE INDEX "key_packages_device_id_last_resort_created_at_idx" ON "key_packages"("device_id", "last_resort", "created_at");

-- CreateIndex
CREATE INDEX "group_devices_device_id_idx" ON "group_devices"("device_id");

-- CreateIndex
CREATE INDEX "welcomes_conversation_id_idx" ON "welcomes"("conversation_id");

-- CreateIndex
CREATE INDEX "welcome_recipients_device_id_idx" ON "welcome_recipients"("device_id");

-- AddForeignKey
ALTER TABLE "key_packages" ADD CONSTRAINT "key_packages_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_devices" ADD CONSTRAINT "group_devices_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_devices" ADD CONSTRAINT "group_devices_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "welcomes" ADD CONSTRAINT "welcomes_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "welcome_recipients" ADD CONSTRAINT "welcome_recipients_welcome_id_fkey" FOREIGN KEY ("welcome_id") REFERENCES "welcomes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "welcome_recipients" ADD CONSTRAINT "welcome_recipients_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;
