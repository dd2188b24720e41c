import { compileExpression } from 'filtrex';
import { EXTRA_FUNCTIONS } from './condition-functions';

/**
 * A condition compiled by filtrex: a plain function over the facts object, built once per
 * ruleset version. filtrex never evaluates code from the expression itself (it parses it and
 * emits JavaScript only from its own grammar), and it returns runtime errors instead of throwing
 * them, so a match is exactly a result of `true`.
 */
export type CompiledCondition = (facts: Readonly<Record<string, unknown>>) => unknown;

const FILTREX_OPTIONS = {
  extraFunctions: EXTRA_FUNCTIONS,
  // filtrex has no boolean literals; these let ops write `emergency == false`.
  constants: { true: true, false: false },
};

export function compileCondition(source: string): CompiledCondition {
  return compileExpression(source, FILTREX_OPTIONS) as CompiledCondition;
}
