/** A `tel:` link's target: the number without spaces or punctuation other than a leading +. */
export const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;
