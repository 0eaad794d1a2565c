interface EndScreenProps {
  aborted: boolean;
  reason: string | null;
}

/** After sign-off (or an early stop): the safety advice that matters for the rest of the day. */
export function EndScreen({ aborted, reason }: EndScreenProps) {
  return (
    <section className="pt-stack" aria-labelledby="end-title">
      <div className={`pt-banner ${aborted ? 'pt-banner-wait' : 'pt-banner-done'}`}>
        <h2 id="end-title">{aborted ? 'Your session was stopped' : 'Your session is over'}</h2>
        <p>
          {aborted
            ? (reason ?? 'Your care team stopped the session.')
            : 'Your clinician has signed off. Thank you, and well done.'}
        </p>
      </div>
      <div className="pt-card pt-advice">
        <h3>For the rest of today</h3>
        <ul>
          <li>
            <strong>Do not drive</strong>, cycle or use machinery until tomorrow, after you have
            slept.
          </li>
          <li>Rest. Have something light to eat and drink when you feel ready.</li>
          <li>Do not make big decisions today.</li>
          <li>
            If anything worries you, call your care team. In an emergency, call emergency services.
          </li>
        </ul>
      </div>
    </section>
  );
}
