import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OpsOperation, RequiresApiKey } from '../auth/ops-endpoint.decorators';
import { AuditEntryView, AuditQuery } from './ruleset.dto';
import { RulesetsService } from './rulesets.service';

@ApiTags('audit')
@RequiresApiKey()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly rulesets: RulesetsService) {}

  @Get()
  @OpsOperation(
    'viewer',
    'Ruleset changes, newest first: who created, published or rolled back which version, and what changed in numbers',
    'Entries name versions rather than copying documents; GET /v1/rulesets/{version} has a document, GET /v1/rulesets/diff the full change.',
  )
  @ApiOkResponse({ type: [AuditEntryView] })
  audit(@Query() query: AuditQuery): Promise<AuditEntryView[]> {
    return this.rulesets.audit(query.limit ?? 50);
  }
}
