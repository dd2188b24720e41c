import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OpsOperation, RequiresApiKey } from '../auth/ops-endpoint.decorators';
import { InteractionView, QueueOverviewView, WaitingListQuery, WaitingListView } from './queues.dto';
import { QueueViewsService } from './queue-views.service';

@ApiTags('queues')
@RequiresApiKey()
@Controller('v1')
export class QueuesController {
  constructor(private readonly views: QueueViewsService) {}

  @Get('queues')
  @OpsOperation('viewer', 'Every skill queue: depth, oldest wait and estimated wait')
  @ApiOkResponse({ type: [QueueOverviewView] })
  queues(): Promise<QueueOverviewView[]> {
    return this.views.overview();
  }

  @Get('queues/:queue/interactions')
  @OpsOperation('viewer', 'The interactions waiting in a queue, in serve order')
  @ApiOkResponse({ type: WaitingListView })
  @ApiNotFoundResponse({ description: 'No such queue' })
  waiting(@Param('queue') queue: string, @Query() query: WaitingListQuery): Promise<WaitingListView> {
    return this.views.waitingIn(queue, query.limit ?? 100);
  }

  @Get('interactions/:interactionId')
  @OpsOperation('viewer', 'Where an interaction is and why: its state and its decision trace')
  @ApiOkResponse({ type: InteractionView })
  @ApiNotFoundResponse({ description: 'Unknown interaction, or finished long enough ago to be forgotten' })
  interaction(@Param('interactionId') interactionId: string): Promise<InteractionView> {
    return this.views.interaction(interactionId);
  }
}
