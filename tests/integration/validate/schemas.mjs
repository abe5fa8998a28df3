// Validates JSON files against one of gpuplan's documented schemas
// (docs/*.schema.json), offline.
// Prints one line per problem; exit 1 if any.
// Usage: node schemas.mjs SCHEMA.json FILE...
import { readFileSync } from "node:fs";
import Ajv2019 from "ajv/dist/2019.js";

const ajv = new Ajv2019({ allErrors: true, strict: true, strictRequired: false, validateFormats: false });
const [schemaFile, ...files] = process.argv.slice(2);
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")));
let bad = 0;
for (const file of files) {
  if (validate(JSON.parse(readFileSync(file, "utf8")))) continue;
  for (const e of validate.errors) {
    console.log(`${file}: ${e.instancePath || "/"} ${e.message}`);
    bad++;
  }
}
process.exit(bad ? 1 : 0);
