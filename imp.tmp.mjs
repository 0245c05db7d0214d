import { register } from 'tsx/esm/api';
register();
const t0 = performance.now();
for (const m of process.argv.slice(2)) {
  const t = performance.now();
  await import(m);
  console.log(m, (performance.now() - t).toFixed(0), 'ms');
}
console.log('total', (performance.now() - t0).toFixed(0));
