// TensorFlow.js for the autodiff oracle: the native backend (@tensorflow/tfjs-node) when it is installed,
// else the pure-JS 'cpu' backend of @tensorflow/tfjs. Both compute in float32; the tolerances in
// tfjs.spec.ts are written for true float32 arithmetic, so they hold on either backend.

import type * as TF from '@tensorflow/tfjs';

export type Tf = typeof TF;

export interface LoadedTf {
  readonly tf: Tf;
  /** 'tensorflow' (tfjs-node) or 'cpu' (pure JS). */
  readonly backend: string;
}

let loading: Promise<LoadedTf> | undefined;

/** Loads TF.js once per test file. */
export function loadTf(): Promise<LoadedTf> {
  loading ??= load();
  return loading;
}

async function load(): Promise<LoadedTf> {
  // A variable specifier, so that tsc and vite do not require tfjs-node to be installed (it needs a native
  // build that is not available everywhere).
  const nativeSpecifier = '@tensorflow/tfjs-node';
  try {
    const tf = (await import(/* @vite-ignore */ nativeSpecifier)) as Tf;
    return { tf: quiet(tf), backend: tf.getBackend() };
  } catch {
    // Not installed (or its native binding does not load): the pure-JS backend gives the same float32 results.
  }
  const tf = quiet(await import('@tensorflow/tfjs'));
  await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: tf.getBackend() };
}

/**
 * Production mode only silences TF.js's console warnings, among them the "Hi, looks like you are running
 * TensorFlow.js in Node.js" banner the cpu backend prints on first use; it changes no numerics.
 */
function quiet(tf: Tf): Tf {
  tf.enableProdMode();
  return tf;
}
