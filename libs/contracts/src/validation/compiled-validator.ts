import { defaultMetadataStorage as transformerMetadata } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/** A verdict only: does the plain object satisfy the class's decorators? */
export type CompiledValidator = (value: unknown) => boolean;

export class ValidatorCompilationError extends Error {}

type Constructor = abstract new (...args: never[]) => unknown;
type PropertyCheck = (object: Record<string, unknown>) => boolean;

/**
 * Turns the class-validator decorators of a class into one closure per property, once, at boot.
 *
 * `validateSync` re-reads and re-groups the metadata, builds a ValidationError for every property
 * and walks class-transformer's instance copy on every call: most of the cost of decoding an event
 * on the hot path. The compiled form runs the very same constraint implementations (so the
 * classes stay the one specification) over the parsed JSON as it is, and answers only yes or no.
 * Callers fall back to `validateSync` for the messages when the answer is no, which is rare.
 *
 * Supported: custom constraints (every built-in decorator is one, including `each`), conditional
 * validation (`@IsOptional`, `@ValidateIf`) and `@ValidateNested` with a class-transformer
 * `@Type`. Anything else (groups, async constraints, promise validation) fails the compilation, so
 * a decorator this does not understand stops the start instead of being skipped.
 */
export function compileValidator(target: Constructor): CompiledValidator {
  const compiled = compileClass(target, new Map());
  return (value) => value !== null && typeof value === 'object' && !Array.isArray(value) && compiled(value as Record<string, unknown>);
}

function compileClass(target: Constructor, inProgress: Map<Constructor, PropertyCheck>): PropertyCheck {
  const existing = inProgress.get(target);
  if (existing) return existing;
  let checks: PropertyCheck[] = [];
  const classCheck: PropertyCheck = (object) => {
    for (let i = 0; i < checks.length; i++) if (!checks[i](object)) return false;
    return true;
  };
  inProgress.set(target, classCheck);

  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(target as unknown as new () => object, '', false, false);
  if (metadatas.length === 0) throw new ValidatorCompilationError(`${target.name} has no validation decorators`);
  const byProperty = storage.groupByPropertyName(metadatas);
  checks = Object.entries(byProperty).map(([property, propertyMetadatas]) => compileProperty(target, property, propertyMetadatas, inProgress));
  return classCheck;
}

function compileProperty(target: Constructor, property: string, metadatas: ValidationMetadata[], inProgress: Map<Constructor, PropertyCheck>): PropertyCheck {
  const conditions: ((object: object, value: unknown) => boolean)[] = [];
  const constraints: ((object: Record<string, unknown>, value: unknown) => boolean)[] = [];
  const storage = getMetadataStorage();
  for (const metadata of metadatas) {
    if (metadata.groups?.length || metadata.always) {
      throw new ValidatorCompilationError(`${target.name}.${property}: validation groups are not supported by the compiled validator`);
    }
    switch (metadata.type) {
      case ValidationTypes.CONDITIONAL_VALIDATION:
        conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
        break;
      case ValidationTypes.CUSTOM_VALIDATION:
        for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
          if (constraint.async) throw new ValidatorCompilationError(`${target.name}.${property}: async constraint ${constraint.name}`);
          const instance = constraint.instance;
          const each = metadata.each === true;
          // One arguments object per constraint, refreshed per call: validation is synchronous and
          // a constraint does not keep its arguments.
          const args: ValidationArguments = { targetName: target.name, property, constraints: metadata.constraints, object: {}, value: undefined };
          constraints.push((object, value) => {
            args.object = object;
            args.value = value;
            if (each && (Array.isArray(value) || value instanceof Set || value instanceof Map)) {
              for (const item of value instanceof Map ? value.values() : value) if (instance.validate(item, args) !== true) return false;
              return true;
            }
            return instance.validate(value, args) === true;
          });
        }
        break;
      case ValidationTypes.NESTED_VALIDATION: {
        const typeMetadata = transformerMetadata.findTypeMetadata(target as unknown as new () => object, property);
        const nestedClass = typeMetadata?.typeFunction() as Constructor | undefined;
        if (!nestedClass) throw new ValidatorCompilationError(`${target.name}.${property}: @ValidateNested needs a class-transformer @Type`);
        const nested = compileClass(nestedClass, inProgress);
        constraints.push((_object, value) => {
          if (value === undefined) return true;
          if (Array.isArray(value)) return value.every((item) => item !== null && typeof item === 'object' && nested(item as Record<string, unknown>));
          if (value instanceof Object) return nested(value as Record<string, unknown>);
          return false;
        });
        break;
      }
      case ValidationTypes.IS_DEFINED:
        constraints.push((_object, value) => value !== undefined && value !== null);
        break;
      default:
        throw new ValidatorCompilationError(`${target.name}.${property}: ${metadata.type} validation is not supported by the compiled validator`);
    }
  }
  return (object) => {
    const value = object[property];
    for (let i = 0; i < conditions.length; i++) if (!conditions[i](object, value)) return true;
    for (let i = 0; i < constraints.length; i++) if (!constraints[i](object, value)) return false;
    return true;
  };
}
