// The catalog's mytorch functions built from a TS/JS mytorch package through its module protocol: the in-process
// counterpart of fixtures/assignments/seed-000.adapter.py (which does the same for a Python package inside the
// student's process). A package is a module exporting `nn` (Linear, ReLU, Sigmoid, SoftmaxCrossEntropy,
// Sequential, SGD) and `utils` (gradientCheck or gradient_check); methods in camelCase (the catalog's TS convention)
// or snake_case. Each function builds the student's modules, writes the catalog's W and b into the arrays the
// module owns (in place when the shapes agree), runs forward and backward and reads what the protocol exposes.
// gradient_check runs on a staff model (Linear, Sigmoid, Linear, from the reference) with the planted bug.

import { type Matrix, type Vector, transpose } from '../src/numeric.ts';
import { camelCase } from '../src/subject.ts';
import { PLANTED_BUGS, type PlantedBug, linearBackward, linearForward, sigmoidBackward, sigmoidForward, softmaxCeGradient, softmaxCeLoss } from '../reference/mytorch.ts';

type Params = (Matrix | Vector)[];
type Fn = (...args: never[]) => unknown;
type Instance = Record<string, unknown>;

export interface MytorchPackage {
  readonly nn: Readonly<Record<string, unknown>>;
  readonly utils: Readonly<Record<string, unknown>>;
}

const copy = <T>(v: T): T => structuredClone(v);

function classOf(pkg: MytorchPackage, name: string, task: string): new (...args: unknown[]) => Instance {
  const found = pkg.nn[name];
  if (typeof found !== 'function') throw new Error(`mytorch.nn exports no ${name} (task ${task})`);
  return found as new (...args: unknown[]) => Instance;
}

/** obj.method(...args), the method found by its camelCase or snake_case name. */
function call(obj: Instance, method: string, ...args: unknown[]): unknown {
  const fn = obj[camelCase(method)] ?? obj[method];
  if (typeof fn !== 'function') throw new Error(`${String(obj.constructor?.name ?? 'module')}.${method} is not defined`);
  return (fn as (...a: unknown[]) => unknown).apply(obj, args);
}

/** Writes `value` into the array `target` when their shapes agree; false when they do not. */
function overwrite(target: unknown, value: Matrix | Vector): boolean {
  const fits = Array.isArray(target) && target.length === value.length && value.every((v, i) => !Array.isArray(v) || (Array.isArray(target[i]) && (target[i] as unknown[]).length === v.length));
  if (!fits) return false;
  value.forEach((v, i) => {
    if (Array.isArray(v)) v.forEach((x, j) => ((target[i] as number[])[j] = x));
    else (target as number[])[i] = v;
  });
  return true;
}

/** Writes `value` into the module's own array when the shapes agree, else replaces the attribute. */
function set(module: Instance, name: string, value: Matrix | Vector): void {
  if (!overwrite(module[name], value)) module[name] = copy(value);
}

function linear(pkg: MytorchPackage, W: Matrix, b: Vector): Instance {
  const layer = new (classOf(pkg, 'Linear', '6.1'))(W[0]!.length, W.length);
  set(layer, 'W', W);
  set(layer, 'b', b);
  return layer;
}

const parameters = (layer: Instance): Params => ('W' in layer && 'b' in layer ? [layer['W'] as Matrix, layer['b'] as Vector] : (call(layer, 'get_parameters') as Params));
const gradients = (layer: Instance): Params => ('dW' in layer && 'db' in layer ? [layer['dW'] as Matrix, layer['db'] as Vector] : (call(layer, 'get_gradients') as Params));

function network(pkg: MytorchPackage, weights: readonly Matrix[], biases: readonly Vector[]): { model: Instance; linears: Instance[] } {
  const linears: Instance[] = [];
  const modules: Instance[] = [];
  weights.forEach((W, l) => {
    if (l > 0) modules.push(new (classOf(pkg, 'ReLU', '6.2'))());
    linears.push(linear(pkg, W, biases[l]!));
    modules.push(linears[l]!);
  });
  return { model: new (classOf(pkg, 'Sequential', '6.4'))(...modules), linears };
}

const activation = (pkg: MytorchPackage, name: string, X: Matrix, G?: Matrix): unknown => {
  const module = new (classOf(pkg, name, '6.2'))();
  const out = call(module, 'forward', copy(X));
  return G === undefined ? out : call(module, 'backward', copy(G));
};

/** The staff's model for gradient_check: Linear(W1, b1), Sigmoid, Linear(W2, b2), with `bug` planted in its backward. */
class StaffModel {
  private readonly params: Params;
  private readonly grads: Params;
  private x: Matrix = [];
  private z1: Matrix = [];

  constructor(
    W1: Matrix,
    b1: Vector,
    W2: Matrix,
    b2: Vector,
    private readonly bug: PlantedBug,
  ) {
    this.params = [copy(W1), copy(b1), copy(W2), copy(b2)];
    this.grads = this.params.map((p) => copy(p));
  }

  forward(x: Matrix): Matrix {
    const [W1, b1, W2, b2] = this.params as [Matrix, Vector, Matrix, Vector];
    this.x = x;
    this.z1 = linearForward(W1, b1, x);
    return linearForward(W2, b2, sigmoidForward(this.z1));
  }

  backward(g: Matrix): Matrix {
    const [W1, b1, W2, b2] = this.params as [Matrix, Vector, Matrix, Vector];
    const [dW2, db2, da1] = linearBackward(W2, b2, sigmoidForward(this.z1), g);
    const [dW1, db1, dX] = linearBackward(W1, b1, this.x, sigmoidBackward(this.z1, da1));
    const factor = this.bug === 'sign' ? -1 : this.bug === 'scaled' ? this.x.length : 1;
    const found: Params = [this.bug === 'transposed' ? transpose(dW1) : dW1, db1, dW2, db2];
    // Into the model's own gradient arrays, as a module stores them.
    found.forEach((grad, k) => overwrite(this.grads[k], grad.map((v) => (Array.isArray(v) ? v.map((x) => x * factor) : v * factor)) as Matrix | Vector));
    return dX;
  }

  getParameters(): Params {
    return this.params;
  }

  getGradients(): Params {
    return this.grads;
  }
}

/** The loss summed over the batch (the handout's text), gradient yhat - y. */
class StaffSoftmaxCrossEntropy {
  private logits: Matrix = [];
  private y: Matrix = [];

  forward(logits: Matrix, y: Matrix): number {
    this.logits = logits;
    this.y = y;
    return softmaxCeLoss(logits, y, 'sum');
  }

  backward(): Matrix {
    return softmaxCeGradient(this.logits, this.y, 'sum');
  }
}

/** The catalog's mytorch functions over `pkg`, by their camelCase names (as the reference exports them). */
export function mytorchProtocol(pkg: MytorchPackage): Record<string, Fn> {
  const functions = {
    linearForward: (W: Matrix, b: Vector, X: Matrix) => call(linear(pkg, W, b), 'forward', copy(X)),
    linearBackward: (W: Matrix, b: Vector, X: Matrix, G: Matrix) => {
      const layer = linear(pkg, W, b);
      call(layer, 'forward', copy(X));
      const dX = call(layer, 'backward', copy(G));
      return [...copy(gradients(layer)), dX];
    },
    linearInit: (nIn: number, nOut: number) => copy(parameters(new (classOf(pkg, 'Linear', '6.1'))(nIn, nOut))),
    reluForward: (X: Matrix) => activation(pkg, 'ReLU', X),
    reluBackward: (X: Matrix, G: Matrix) => activation(pkg, 'ReLU', X, G),
    sigmoidForward: (X: Matrix) => activation(pkg, 'Sigmoid', X),
    sigmoidBackward: (X: Matrix, G: Matrix) => activation(pkg, 'Sigmoid', X, G),
    softmaxCeForward: (logits: Matrix, Y: Matrix) => call(new (classOf(pkg, 'SoftmaxCrossEntropy', '6.3'))(), 'forward', copy(logits), copy(Y)),
    softmaxCeBackward: (logits: Matrix, Y: Matrix) => {
      const loss = new (classOf(pkg, 'SoftmaxCrossEntropy', '6.3'))();
      call(loss, 'forward', copy(logits), copy(Y));
      return call(loss, 'backward');
    },
    sequentialForward: (weights: Matrix[], biases: Vector[], X: Matrix) => call(network(pkg, weights, biases).model, 'forward', copy(X)),
    sequentialBackward: (weights: Matrix[], biases: Vector[], X: Matrix, G: Matrix) => {
      const { model } = network(pkg, weights, biases);
      call(model, 'forward', copy(X));
      const dX = call(model, 'backward', copy(G));
      return [dX, copy(call(model, 'get_gradients'))];
    },
    sgdUpdate: (params: Params, grads: Params, lr: number) => {
      const arrays = copy(params);
      call(new (classOf(pkg, 'SGD', '6.5'))(arrays, lr), 'step', copy(grads));
      return arrays; // the arrays SGD was given: a rebinding step leaves them as they were
    },
    trainStep: (weights: Matrix[], biases: Vector[], X: Matrix, G: Matrix, lr: number) => {
      const { model, linears } = network(pkg, weights, biases);
      call(model, 'forward', copy(X));
      call(model, 'backward', copy(G));
      call(new (classOf(pkg, 'SGD', '6.5'))(call(model, 'get_parameters'), lr), 'step', call(model, 'get_gradients'));
      return linears.flatMap((layer) => copy(parameters(layer)));
    },
    gradientCheckError: (W1: Matrix, b1: Vector, W2: Matrix, b2: Vector, X: Matrix, Y: Matrix, bug: string) => {
      if (!(PLANTED_BUGS as readonly string[]).includes(bug)) throw new Error(`unknown planted bug ${bug}`);
      const check = pkg.utils['gradientCheck'] ?? pkg.utils['gradient_check'];
      if (typeof check !== 'function') throw new Error('mytorch.utils exports no gradientCheck (task 6.6)');
      const model = new StaffModel(W1, b1, W2, b2, bug as PlantedBug);
      // The starter's gradient_check(model, lossFn, x, y, epsilon) or the text's (model, x, y, epsilon).
      return check.length >= 4 ? check(model, new StaffSoftmaxCrossEntropy(), copy(X), copy(Y)) : check(model, copy(X), copy(Y));
    },
  };
  return functions as unknown as Record<string, Fn>;
}
