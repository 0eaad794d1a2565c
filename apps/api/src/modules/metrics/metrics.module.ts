import { Global, Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { VigilMetrics } from './vigil-metrics';

/** Infrastructure, like the logger: the group-commit queue reports to it from EventsModule. */
@Global()
@Module({ imports: [AlertsModule], providers: [VigilMetrics], exports: [VigilMetrics] })
export class MetricsModule {}
