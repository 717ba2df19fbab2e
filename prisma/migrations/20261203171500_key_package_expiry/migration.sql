-- AlterTable
ALTER TABLE "key_packages" ADD COLUMN     "expires_at" TIMESTAMPTZ(3);
