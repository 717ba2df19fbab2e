-- CreateTable
CREATE TABLE "server_keys" (
    "name" TEXT NOT NULL,
    "public_key" BYTEA NOT NULL,
    "private_key" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "server_keys_pkey" PRIMARY KEY ("name")
);

-- DropIndex
DROP INDEX "push_subscriptions_device_id_idx";

-- A device has at most one push subscription: registering again replaces it.
DELETE FROM "push_subscriptions" s
WHERE EXISTS (
    SELECT 1 FROM "push_subscriptions" newer
    WHERE newer."device_id" = s."device_id"
      AND (newer."created_at", newer."id") > (s."created_at", s."id")
);

-- CreateIndex
CREATE UNIQUE INDEX "push_subscriptions_device_id_key" ON "push_subscriptions"("device_id");
