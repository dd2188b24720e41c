import { Controller, Get } from '@nestjs/common';
import { RoutingPolicyHolder } from './routing-policy.holder';

/** What this replica is routing with: monitors compare replicas after a publication. */
@Controller('status')
export class RouterStatusController {
  constructor(private readonly holder: RoutingPolicyHolder) {}

  @Get()
  status(): { rulesetVersion: number; pid: number } {
    return { rulesetVersion: this.holder.version, pid: process.pid };
  }
}
