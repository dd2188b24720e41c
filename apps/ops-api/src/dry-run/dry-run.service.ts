import {
  BadRequestException,
  ConflictException,
  GatewayTimeoutException,
  Inject,
  Injectable,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { KafkaJSError } from 'kafkajs';
import { OpsApiServiceConfig } from '@conmutador/config';
import { compareRouting } from '@conmutador/rules';
import { OPS_API_CONFIG } from '../ops-api.tokens';
import { RulesetsService } from '../rulesets/rulesets.service';
import { DryRunInteraction, DryRunRequest, DryRunView, ReplaySourceView } from './dry-run.dto';
import { InboundReplay, ReplayTimeoutError, ReplayTopicMissingError, ReplayWindowTooLargeError } from './inbound-replay';
import { ReplayClassifier } from './replay-classifier';
import { ReplayedArrivals, ReplayedInteraction } from './replayed-arrivals';

const HOUR_MS = 3_600_000;

/**
 * Routes the same interactions with the published ruleset and with a draft, and reports what
 * would change. Nothing is written anywhere: not Redis, not Kafka.
 */
@Injectable()
export class DryRunService {
  constructor(
    @Inject(OPS_API_CONFIG) private readonly config: OpsApiServiceConfig,
    private readonly rulesets: RulesetsService,
    private readonly replay: InboundReplay,
    private readonly classifier: ReplayClassifier,
  ) {}

  async run(version: number, request: DryRunRequest): Promise<DryRunView> {
    const { interactions, replayHours } = request;
    if ((interactions === undefined) === (replayHours === undefined)) {
      throw new BadRequestException('give either interactions or replayHours (exactly one of them)');
    }
    const { maxReplayHours } = this.config.dryRun;
    if (replayHours !== undefined && replayHours > maxReplayHours) {
      throw new BadRequestException(`replayHours must be at most ${maxReplayHours} (DRY_RUN_MAX_REPLAY_HOURS)`);
    }

    const draft = await this.rulesets.compiled(version);
    const published = await this.rulesets.published();
    // Routers seed the default ruleset when they first start, so this means no router ever ran here.
    if (!published) throw new ConflictException('no ruleset is published yet: there is nothing to compare with');
    const baseline = this.rulesets.compile(published.document, published.version);

    const { inputs, source } = interactions ? this.fromRequest(interactions) : await this.fromReplay(replayHours!);
    return {
      draftVersion: version,
      publishedVersion: published.version,
      source,
      report: compareRouting(baseline, draft, inputs),
    };
  }

  private fromRequest(interactions: DryRunInteraction[]): { inputs: ReplayedInteraction[]; source: ReplaySourceView } {
    const now = new Date();
    const inputs = interactions.map((interaction, index) => ({
      id: interaction.id ?? String(index + 1),
      input: {
        sector: interaction.sector,
        intent: interaction.intent,
        emergency: interaction.emergency ?? false,
        confidence: interaction.confidence ?? 1,
        channel: interaction.channel,
        tenant: interaction.tenant ?? 'default',
        customerSegment: interaction.customerSegment,
        customerRegion: interaction.customerRegion,
        attributes: interaction.attributes,
        at: interaction.at ? new Date(interaction.at) : now,
      },
    }));
    return { inputs, source: { kind: 'interactions', interactions: inputs.length } };
  }

  private async fromReplay(hours: number): Promise<{ inputs: ReplayedInteraction[]; source: ReplaySourceView }> {
    // Refused before Kafka is read: nothing could be classified anyway.
    this.classifier.assertAvailable();
    const mappings = this.classifier.currentMappings();
    const arrivals = new ReplayedArrivals();
    try {
      const window = await this.replay.replaySince(Date.now() - hours * HOUR_MS, (message) => arrivals.add(message));
      const inputs = arrivals.interactions(await this.classifier.classify(arrivals.classificationInputs(), mappings));
      return {
        inputs,
        source: {
          kind: 'replay',
          interactions: inputs.length,
          replayHours: hours,
          topic: window.topic,
          since: window.since,
          recordsRead: window.recordsRead,
          otherEvents: arrivals.otherEvents,
          invalidRecords: arrivals.invalidRecords,
          duplicateArrivals: arrivals.duplicateArrivals,
        },
      };
    } catch (error) {
      if (error instanceof ReplayWindowTooLargeError) throw new UnprocessableEntityException(error.message);
      if (error instanceof ReplayTimeoutError) throw new GatewayTimeoutException(error.message);
      if (error instanceof ReplayTopicMissingError) throw new ServiceUnavailableException(error.message);
      if (error instanceof KafkaJSError) throw new ServiceUnavailableException(`Kafka: ${error.message}`);
      throw error;
    }
  }
}
