CREATE TABLE "balance_transactions" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"livemode" boolean NOT NULL,
	"type" text NOT NULL,
	"amount" bigint NOT NULL,
	"fee" bigint NOT NULL,
	"net" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"processor" text,
	"source_id" text NOT NULL,
	"payment_id" text,
	"available_on" date NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"settlement_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "balance_transactions_net" CHECK ("balance_transactions"."net" = "balance_transactions"."amount" - "balance_transactions"."fee"),
	CONSTRAINT "balance_transactions_fee" CHECK ("balance_transactions"."fee" >= 0),
	CONSTRAINT "balance_transactions_currency_shape" CHECK (currency ~ '^[A-Z]{3}$'),
	CONSTRAINT "balance_transactions_type" CHECK (type in ('charge', 'refund', 'dispute', 'dispute_reversal', 'adjustment')),
	CONSTRAINT "balance_transactions_status" CHECK (status in ('pending', 'paid')),
	CONSTRAINT "balance_transactions_paid" CHECK (("balance_transactions"."status" = 'paid') = ("balance_transactions"."settlement_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "settlements" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"livemode" boolean NOT NULL,
	"currency" char(3) NOT NULL,
	"day" date NOT NULL,
	"payout_on" date NOT NULL,
	"status" text DEFAULT 'paid' NOT NULL,
	"transaction_count" integer NOT NULL,
	"amount" bigint NOT NULL,
	"fee" bigint NOT NULL,
	"net" bigint NOT NULL,
	"file_key" text NOT NULL,
	"file_sha256" text NOT NULL,
	"json_key" text NOT NULL,
	"json_sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlements_net" CHECK ("settlements"."net" = "settlements"."amount" - "settlements"."fee"),
	CONSTRAINT "settlements_currency_shape" CHECK (currency ~ '^[A-Z]{3}$'),
	CONSTRAINT "settlements_status" CHECK ("settlements"."status" in ('paid')),
	CONSTRAINT "settlements_sha256" CHECK ("settlements"."file_sha256" ~ '^[0-9a-f]{64}$' and "settlements"."json_sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "balance_transactions" ADD CONSTRAINT "balance_transactions_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "balance_transactions" ADD CONSTRAINT "balance_transactions_currency_currencies_code_fk" FOREIGN KEY ("currency") REFERENCES "public"."currencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlements" ADD CONSTRAINT "settlements_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlements" ADD CONSTRAINT "settlements_currency_currencies_code_fk" FOREIGN KEY ("currency") REFERENCES "public"."currencies"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "balance_transactions_source" ON "balance_transactions" USING btree ("type","source_id");--> statement-breakpoint
CREATE INDEX "balance_transactions_merchant_created" ON "balance_transactions" USING btree ("merchant_id","livemode","created_at","id");--> statement-breakpoint
CREATE INDEX "balance_transactions_pending" ON "balance_transactions" USING btree ("merchant_id","livemode","currency","created_at","id") WHERE "balance_transactions"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "balance_transactions_settlement" ON "balance_transactions" USING btree ("settlement_id");--> statement-breakpoint
CREATE UNIQUE INDEX "settlements_merchant_day" ON "settlements" USING btree ("merchant_id","livemode","currency","day");--> statement-breakpoint
CREATE INDEX "settlements_merchant_created" ON "settlements" USING btree ("merchant_id","livemode","created_at","id");
--> statement-breakpoint
-- Custom: a balance transaction is immutable (issue 16 item 1) but for its settlement, which moves
-- it once from pending to paid; no row is ever deleted, and a settlement is never changed.
CREATE FUNCTION balance_transactions_settle_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'DELETE on balance_transactions is refused: movements are immutable';
  END IF;
  IF OLD.status <> 'pending' OR NEW.status <> 'paid' OR NEW.settlement_id IS NULL
     OR (to_jsonb(NEW) - 'status' - 'settlement_id') <> (to_jsonb(OLD) - 'status' - 'settlement_id') THEN
    RAISE EXCEPTION 'UPDATE on balance_transactions is refused: only pending -> paid by a settlement';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER balance_transactions_immutable BEFORE UPDATE OR DELETE ON "balance_transactions"
  FOR EACH ROW EXECUTE FUNCTION balance_transactions_settle_only();
--> statement-breakpoint
CREATE TRIGGER settlements_append_only BEFORE UPDATE OR DELETE ON "settlements"
  FOR EACH ROW EXECUTE FUNCTION refuse_mutation();
