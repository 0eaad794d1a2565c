import { MAIN_ID } from './focus-main-heading';

/** The first thing a keyboard user reaches: straight past the header to the page itself. */
export function SkipLink() {
  return (
    <a className="skip-link" href={`#${MAIN_ID}`}>
      Skip to main content
    </a>
  );
}
