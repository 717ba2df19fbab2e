-- AlterTable
ALTER TABLE "devices" ADD COLUMN     "introduced_by_id" UUID,
ADD COLUMN     "introduction" BYTEA;

-- AddForeignKey
ALTER TABLE "devices" ADD CONSTRAINT "devices_introduced_by_id_fkey" FOREIGN KEY ("introduced_by_id") REFERENCES "devices"("id") ON DELETE SET NULL ON UPDATE CASCADE;
