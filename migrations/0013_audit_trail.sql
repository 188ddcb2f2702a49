CREATE TABLE "api_key_ips" (
	"key_id" text NOT NULL,
	"ip" text NOT NULL,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_key_ips_key_id_ip_pk" PRIMARY KEY("key_id","ip")
);
--> statement-breakpoint
CREATE TABLE "vault_card_access_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"token" text NOT NULL,
	"merchant_id" text NOT NULL,
	"payment_id" text NOT NULL,
	"operation_id" text NOT NULL,
	"accessor" text NOT NULL,
	"purpose" text NOT NULL,
	"accessed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_key_ips" ADD CONSTRAINT "api_key_ips_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "vault_card_access_log_token" ON "vault_card_access_log" USING btree ("token","accessed_at");--> statement-breakpoint
-- Custom: the vault's card access log is append-only (PCI DSS 10.3.2: audit records protected
-- from modification), enforced for every client by the trigger function of migration 0001.
CREATE TRIGGER vault_card_access_log_append_only BEFORE UPDATE OR DELETE ON "vault_card_access_log"
  FOR EACH ROW EXECUTE FUNCTION refuse_mutation();
--> statement-breakpoint
CREATE TRIGGER vault_card_access_log_no_truncate BEFORE TRUNCATE ON "vault_card_access_log"
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_mutation();
