import { BadRequestException, Param, PipeTransform } from '@nestjs/common';

/** A path parameter that must be a positive integer; anything else is a 400 naming the parameter. */
class PositiveIntegerPipe implements PipeTransform<string, number> {
  constructor(private readonly name: string) {}

  transform(value: string): number {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
      throw new BadRequestException(`${this.name} must be a positive integer`);
    }
    return parsed;
  }
}

/** The `{version}` of a ruleset. */
export const VersionParam = (): ParameterDecorator => Param('version', new PositiveIntegerPipe('version'));
