/** What the phone says while a screening is saved but not yet received. */
export function SavedNotSent({ what }: { what: string }) {
  return (
    <section className="pt-stack" aria-labelledby="saved-title">
      <div className="pt-banner pt-banner-wait" role="status">
        <h2 id="saved-title">{what} saved on this phone, not sent yet</h2>
        <p>
          It will be sent by itself as soon as the phone has a connection. Keep this page open if
          you can.
        </p>
      </div>
      <p className="pt-lead">Please do not take the dose until your care team has the answers.</p>
    </section>
  );
}
