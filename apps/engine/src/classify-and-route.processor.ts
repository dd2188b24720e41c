import { Injectable } from '@nestjs/common';
import { ConsumedRecord, ProcessingResult, RecordProcessor } from '@conmutador/kafka';
import { ClassificationProcessor } from '@conmutador/classification-stage';
import { RoutingProcessor } from '@conmutador/routing-stage';

/**
 * interactions.inbound → classify → Redis skill queues → interactions.routed, in one step. The
 * two stages are the services' own; what the split deployment sends over the internal topic
 * (and validates again on the way in) stays in memory here. Per-interaction order holds: a chunk
 * keeps each partition's records in offset order through both stages.
 */
@Injectable()
export class ClassifyAndRouteProcessor implements RecordProcessor {
  constructor(
    private readonly classification: ClassificationProcessor,
    private readonly routing: RoutingProcessor,
  ) {}

  process(records: ConsumedRecord[]): Promise<ProcessingResult> {
    const { classified, deadLetters } = this.classification.classifyRecords(records);
    return this.routing.route(classified, deadLetters);
  }
}
