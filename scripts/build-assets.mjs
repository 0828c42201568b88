// Builds static/dist/ from Sass and GOV.UK Frontend. Run by `make assets` (npm run build).
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "static", "dist");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

mkdirSync(dist, { recursive: true });
const result = sass.compile(join(root, "static", "scss", "main.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(dist, "sightline.css"), result.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(dist, "govuk-frontend.min.js"));
// The trainer's editor (CodeMirror 6): one file, no eval, loaded as a module by the editor page.
await esbuild.build({
  entryPoints: [join(root, "static", "js", "src", "authoring-editor.js")],
  outfile: join(dist, "authoring-editor.js"),
  bundle: true,
  format: "esm",
  minify: true,
  target: ["es2020"],
  legalComments: "linked",
  logLevel: "warning",
});
// Icons only: the crown, crest and GDS Transport fonts are for gov.uk and are not copied.
mkdirSync(join(dist, "images"), { recursive: true });
console.log(`built ${join("static", "dist")} (${result.css.length} bytes of CSS)`);
