CREATE TABLE "edge_token_jtis" (
	"jti" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "edge_token_jtis_expires_at" ON "edge_token_jtis" USING btree ("expires_at");