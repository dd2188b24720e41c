import { HttpException, HttpStatus } from '@nestjs/common';
import { RulesetIssue } from '@conmutador/rules';

/** 422 carrying every issue, each naming its rule and field, so one round trip shows all that is wrong. */
export class InvalidRulesetException extends HttpException {
  constructor(issues: readonly RulesetIssue[], context = 'the ruleset') {
    const errors = issues.filter((issue) => issue.severity === 'error').length;
    super(
      {
        statusCode: HttpStatus.UNPROCESSABLE_ENTITY,
        error: 'Unprocessable Entity',
        message: `${context} has ${errors} error${errors === 1 ? '' : 's'}`,
        issues,
      },
      HttpStatus.UNPROCESSABLE_ENTITY,
    );
  }
}
