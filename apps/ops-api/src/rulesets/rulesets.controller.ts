import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Actor, OpsOperation, RequiresApiKey } from '../auth/ops-endpoint.decorators';
import {
  CreateRulesetRequest,
  CreatedRulesetView,
  DiffQuery,
  InvalidRulesetView,
  PublicationView,
  PublishedRulesetView,
  RollbackRequest,
  RulesetDiffView,
  RulesetSummaryView,
  RulesetView,
  ValidateRulesetRequest,
  ValidationResultView,
} from './ruleset.dto';
import { RulesetsService } from './rulesets.service';
import { VersionParam } from './version.param';

// Literal routes (published, diff, validate, rollback) are declared before `{version}` ones:
// Express matches in declaration order.
@ApiTags('rulesets')
@RequiresApiKey()
@Controller('v1/rulesets')
export class RulesetsController {
  constructor(private readonly rulesets: RulesetsService) {}

  @Get()
  @OpsOperation('viewer', 'Every ruleset version, oldest first, without documents')
  @ApiOkResponse({ type: [RulesetSummaryView] })
  list(): Promise<RulesetSummaryView[]> {
    return this.rulesets.list();
  }

  @Post()
  @OpsOperation('editor', 'Save a ruleset document as a new draft version', 'A document with errors is refused (422) with every issue.')
  @ApiCreatedResponse({ type: CreatedRulesetView })
  @ApiUnprocessableEntityResponse({ type: InvalidRulesetView })
  create(@Body() body: CreateRulesetRequest, @Actor() actor: string): Promise<CreatedRulesetView> {
    return this.rulesets.create(body.document, body.note, actor);
  }

  @Get('published')
  @OpsOperation('viewer', 'The ruleset in force, with its document')
  @ApiOkResponse({ type: PublishedRulesetView })
  @ApiNotFoundResponse({ description: 'Nothing has been published yet' })
  async published(): Promise<PublishedRulesetView> {
    const published = await this.rulesets.published();
    if (!published) throw new NotFoundException('no ruleset has been published yet');
    return published;
  }

  @Get('diff')
  @OpsOperation('viewer', 'What changes from one version to another')
  @ApiOkResponse({ type: RulesetDiffView })
  @ApiNotFoundResponse({ description: 'A version does not exist' })
  diff(@Query() query: DiffQuery): Promise<RulesetDiffView> {
    return this.rulesets.diff(query.from, query.to);
  }

  @Post('validate')
  @HttpCode(HttpStatus.OK)
  @OpsOperation('viewer', 'Check a document without saving it', 'Always 200: the answer lists the issues.')
  @ApiOkResponse({ type: ValidationResultView })
  validate(@Body() body: ValidateRulesetRequest): ValidationResultView {
    return this.rulesets.validate(body.document);
  }

  @Post('rollback')
  @HttpCode(HttpStatus.OK)
  @OpsOperation('admin', 'Put back a version that was published before', 'Atomic: routers switch within a second.')
  @ApiOkResponse({ type: PublicationView })
  @ApiNotFoundResponse({ description: 'The version does not exist' })
  @ApiConflictResponse({ description: 'The version is in force already, or was never published' })
  @ApiUnprocessableEntityResponse({ type: InvalidRulesetView, description: 'The version no longer passes validation' })
  rollback(@Body() body: RollbackRequest, @Actor() actor: string): Promise<PublicationView> {
    return this.rulesets.rollback(body.version, actor);
  }

  @Get(':version')
  @OpsOperation('viewer', 'One version with its document')
  @ApiOkResponse({ type: RulesetView })
  @ApiNotFoundResponse({ description: 'The version does not exist' })
  get(@VersionParam() version: number): Promise<RulesetView> {
    return this.rulesets.get(version);
  }

  @Post(':version/publish')
  @HttpCode(HttpStatus.OK)
  @OpsOperation('admin', 'Put a draft in force', 'Refused (422) when the document fails validation. Atomic: routers switch within a second.')
  @ApiOkResponse({ type: PublicationView })
  @ApiNotFoundResponse({ description: 'The version does not exist' })
  @ApiConflictResponse({ description: 'The version is in force already, or was published before (roll back to it instead)' })
  @ApiUnprocessableEntityResponse({ type: InvalidRulesetView })
  publish(@VersionParam() version: number, @Actor() actor: string): Promise<PublicationView> {
    return this.rulesets.publish(version, actor);
  }
}
