/** `npm run db:migrate`: applies `migrations/` to DATABASE_URL (what `npm start` does for its own database). */
import { applyMigrations } from "../db/migrate.js";

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write("db:migrate needs DATABASE_URL (npm start migrates its embedded database itself)\n");
  process.exit(2);
}
await applyMigrations(url);
process.stdout.write("migrations applied\n");
