import { Module } from '@nestjs/common';
import { VigilMetrics } from './vigil-metrics';

/**
 * Prometheus metrics. Depends on no feature module, so EventsModule (the group-commit queue
 * reports to it) can import it; what it reads from other modules is handed to it at boot
 * (`app.setup.ts`: socket counts, the watchdog's last tick).
 */
@Module({ providers: [VigilMetrics], exports: [VigilMetrics] })
export class MetricsModule {}
