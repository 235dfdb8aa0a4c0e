import { InputError } from '../../util/errors.ts';
import type { Formula } from './ast.ts';
import { parseUnitDefinitions, type UnitDefinitionInput } from './definition.ts';
import { DEFAULT_GRID, evaluateFormula, type ActivationMap } from './evaluate.ts';
import { didYouMean } from './nearest.ts';
import { parseFormula } from './parse.ts';
import type { AnnotatedScene } from './scene.ts';
import { createUnit, unitActivation, type SyntheticUnit } from './unit.ts';

export interface SyntheticSubjectOptions {
  /** Side of the coarse map every unit reports (default 14). */
  grid?: number;
}

/** One unit's responses to a list of scenes, in scene order. */
export interface UnitResponses {
  unit: string;
  scenes: ActivationMap[];
}

const MAX_GRID = 256;

/**
 * A subject whose units are synthetic: neurons with known, exact behaviour, computed from the scenes'
 * concept masks. Built from unit definitions (JSON data); each unit is named `synthetic:<id>`.
 */
export class SyntheticSubject {
  readonly units: readonly SyntheticUnit[];
  readonly grid: number;
  private readonly byName: Map<string, SyntheticUnit>;

  constructor(definitions: readonly UnitDefinitionInput[], options: SyntheticSubjectOptions = {}) {
    const grid = options.grid ?? DEFAULT_GRID;
    if (!Number.isInteger(grid) || grid < 1 || grid > MAX_GRID) {
      throw new InputError(`grid must be a whole number from 1 to ${MAX_GRID}, got ${grid}`);
    }
    this.grid = grid;
    this.units = parseUnitDefinitions(definitions).map(createUnit);
    this.byName = new Map(this.units.map((unit) => [unit.name, unit]));
  }

  /** A unit by name (`synthetic:<id>`, or the bare id). */
  unit(name: string): SyntheticUnit {
    const unit = this.byName.get(name) ?? this.byName.get(`synthetic:${name}`);
    if (unit) return unit;
    const names = [...this.byName.keys()];
    throw new InputError(
      `no synthetic unit '${name}'${didYouMean(name.startsWith('synthetic:') ? name : `synthetic:${name}`, names)}; ` +
        `this subject has ${names.length} units${names.length > 0 ? `, e.g. ${names.slice(0, 3).join(', ')}` : ''}`,
    );
  }

  /** Responses of the named units (default: all) to each scene, one entry per unit. */
  activations(scenes: readonly AnnotatedScene[], unitNames?: readonly string[]): UnitResponses[] {
    const units = unitNames ? unitNames.map((name) => this.unit(name)) : this.units;
    return units.map((unit) => ({
      unit: unit.name,
      scenes: scenes.map((scene) => unitActivation(unit, scene, this.grid)),
    }));
  }

  /**
   * Evaluate any formula of the concept language on scenes, at this subject's grid and without noise:
   * how an agent's answer formula is compared with a unit's behaviour.
   */
  formulaActivations(formula: Formula | string, scenes: readonly AnnotatedScene[]): ActivationMap[] {
    const tree = typeof formula === 'string' ? parseFormula(formula) : formula;
    return scenes.map((scene) => evaluateFormula(tree, scene, { grid: this.grid }));
  }
}
