import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiGatewayTimeoutResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { OpsOperation, RequiresApiKey } from '../auth/ops-endpoint.decorators';
import { VersionParam } from '../rulesets/version.param';
import { DryRunRequest, DryRunView } from './dry-run.dto';
import { DryRunService } from './dry-run.service';

@ApiTags('rulesets')
@RequiresApiKey()
@Controller('v1/rulesets')
export class DryRunController {
  constructor(private readonly dryRuns: DryRunService) {}

  @Post(':version/dry-run')
  @HttpCode(HttpStatus.OK)
  @OpsOperation(
    'editor',
    'Compare a version with the published one on the same interactions',
    'Either the interactions given, or the arrivals of the last `replayHours` hours read back from interactions.inbound and ' +
      'classified as the classifier service would. Changes nothing.',
  )
  @ApiOkResponse({ type: DryRunView })
  @ApiNotFoundResponse({ description: 'The version does not exist' })
  @ApiUnprocessableEntityResponse({ description: 'The version fails validation, or the replay window holds too many records' })
  @ApiConflictResponse({ description: 'Nothing is published yet, so there is nothing to compare with' })
  @ApiServiceUnavailableResponse({
    description:
      'Kafka does not answer, the inbound topic does not exist, or (with `Retry-After`) the replay classifier is still training or could not be trained',
  })
  @ApiGatewayTimeoutResponse({ description: 'The replay did not finish within DRY_RUN_REPLAY_TIMEOUT_MS' })
  dryRun(@VersionParam() version: number, @Body() body: DryRunRequest): Promise<DryRunView> {
    return this.dryRuns.run(version, body);
  }
}
