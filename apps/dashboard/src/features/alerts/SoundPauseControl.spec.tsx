import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { T0 } from '../../read-model/testing';
import { SoundPauseControl } from './SoundPauseControl';
import { startSoundPause, type SoundPause } from './sound-pause';

function Harness({ now }: { now: number }) {
  const [pause, setPause] = useState<SoundPause | null>(null);
  return (
    <SoundPauseControl
      pause={pause}
      now={now}
      onPause={() => setPause(startSoundPause(T0, 'high'))}
      onResume={() => setPause(null)}
    />
  );
}

describe('SoundPauseControl', () => {
  it('pauses for 2 min with a visible countdown, and resumes early on request', () => {
    const { rerender } = render(<Harness now={T0} />);
    fireEvent.click(screen.getByRole('button', { name: /Pause sound 2 min/ }));
    expect(screen.getByRole('timer')).toHaveTextContent('Sound paused 2:00');
    rerender(<Harness now={T0 + 65_500} />);
    expect(screen.getByRole('timer')).toHaveTextContent('Sound paused 0:55');
    expect(screen.getByRole('timer')).toHaveAccessibleName('Sound paused, 0:55 left');
    fireEvent.click(screen.getByRole('button', { name: 'Resume sound' }));
    expect(screen.queryByRole('timer')).toBeNull();
  });

  it('offers the pause again by itself once the 2 min are up', () => {
    const { rerender } = render(<Harness now={T0} />);
    fireEvent.click(screen.getByRole('button', { name: /Pause sound/ }));
    rerender(<Harness now={T0 + 120_000} />);
    expect(screen.queryByRole('timer')).toBeNull();
    expect(screen.getByRole('button', { name: /Pause sound 2 min/ })).toBeInTheDocument();
  });
});
