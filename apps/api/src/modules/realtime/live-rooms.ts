/** Every socket of one user: logging out or deactivation ends them all. */
export const userRoom = (userId: string) => `user:${userId}`;
/** Every socket of one login (refresh-token family): a detected token reuse ends them all. */
export const familyRoom = (familyId: string) => `family:${familyId}`;
