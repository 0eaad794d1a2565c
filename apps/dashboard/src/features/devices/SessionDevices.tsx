import { DevicePanel } from './DevicePanel';
import { useDeviceProvenance } from './useDeviceProvenance';

/** The device panel of one session: its patient's devices and where each reading came from. */
export function SessionDevices({
  sessionId,
  patientId,
  headSeq,
  now,
}: {
  sessionId: string;
  patientId: string;
  headSeq: number;
  now: number;
}) {
  const provenance = useDeviceProvenance(sessionId, headSeq);
  return <DevicePanel patientId={patientId} provenance={provenance} now={now} />;
}
