-- Sign-in limits: one counter per key (a client address, or an account from an address) for the
-- current window, counted and checked in one statement. Replaces login_failures, which counted
-- failures in one statement and checked them in another (parallel attempts passed the check).
DROP TABLE "login_failures";

-- CreateTable
CREATE TABLE "sign_in_limits" (
    "key" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "window_ends_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sign_in_limits_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "sign_in_limits_window_ends_at_idx" ON "sign_in_limits"("window_ends_at");
