CREATE TABLE "routing_configs" (
	"merchant_id" text NOT NULL,
	"livemode" boolean NOT NULL,
	"version" integer NOT NULL,
	"config" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "routing_configs_merchant_id_livemode_pk" PRIMARY KEY("merchant_id","livemode"),
	CONSTRAINT "routing_configs_version_positive" CHECK ("routing_configs"."version" > 0),
	CONSTRAINT "routing_configs_config_object" CHECK (jsonb_typeof("routing_configs"."config") = 'object')
);
--> statement-breakpoint
ALTER TABLE "routing_configs" ADD CONSTRAINT "routing_configs_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;