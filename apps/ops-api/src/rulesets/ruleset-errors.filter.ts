import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { RulesetConflictError, RulesetNotFoundError } from '@conmutador/ruleset-store';

/** The store's refusals as HTTP answers: an unknown version is 404, a publication that makes no sense 409. */
@Catch(RulesetNotFoundError, RulesetConflictError)
export class RulesetErrorsFilter implements ExceptionFilter<RulesetNotFoundError | RulesetConflictError> {
  catch(error: RulesetNotFoundError | RulesetConflictError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<{ status(code: number): { json(body: unknown): void } }>();
    if (error instanceof RulesetNotFoundError) {
      response.status(HttpStatus.NOT_FOUND).json({ statusCode: HttpStatus.NOT_FOUND, error: 'Not Found', message: error.message });
      return;
    }
    response.status(HttpStatus.CONFLICT).json({ statusCode: HttpStatus.CONFLICT, error: 'Conflict', message: error.message, reason: error.reason });
  }
}
