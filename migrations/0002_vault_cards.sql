CREATE TABLE "vault_cards" (
	"token" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"ciphertext" "bytea" NOT NULL,
	"iv" "bytea" NOT NULL,
	"tag" "bytea" NOT NULL,
	"wrapped_dek" "bytea" NOT NULL,
	"kek_version" text NOT NULL,
	"fingerprint" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp with time zone,
	CONSTRAINT "vault_cards_token_shape" CHECK ("vault_cards"."token" like 'tok\_%'),
	CONSTRAINT "vault_cards_iv_length" CHECK (octet_length("vault_cards"."iv") = 12),
	CONSTRAINT "vault_cards_tag_length" CHECK (octet_length("vault_cards"."tag") = 16),
	CONSTRAINT "vault_cards_kek_version_shape" CHECK ("vault_cards"."kek_version" ~ '^v[1-9][0-9]*$')
);
--> statement-breakpoint
ALTER TABLE "vault_cards" ADD CONSTRAINT "vault_cards_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "vault_cards_kek_version" ON "vault_cards" USING btree ("kek_version","token");