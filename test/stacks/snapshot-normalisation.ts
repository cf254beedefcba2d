import * as fs from 'fs';
import * as path from 'path';

/**
 * A synthesized template with its asset hashes replaced by `<asset n>`: the hashes depend on the bundled handler code
 * and on the machine's node_modules, so a snapshot holding them would break on every dependency bump, not on a change
 * of the infrastructure. The hashes are the ones the stack's asset manifest declares, so nothing else is touched.
 */
export function normalisedTemplate(templatePath: string): unknown {
  const manifestPath = templatePath.replace(/\.template\.json$/, '.assets.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf-8'));
  const templateName = path.basename(templatePath);
  const hashes = Object.entries<any>(manifest.files ?? {})
    .filter(([, asset]) => asset.source?.path !== templateName)
    .map(([hash]) => hash)
    .concat(Object.keys(manifest.dockerImages ?? {}));
  let text = fs.readFileSync(templatePath, 'utf-8');
  hashes.forEach((hash, i) => { text = text.split(hash).join(`<asset ${i}>`); });
  return JSON.parse(text);
}
