import { authStore } from '../../auth/auth-store';

/** A quiet header: who is signed in and a small sign-out that warns about unsent items. */
export function PatientHeader({ name, waiting }: { name: string; waiting: number }) {
  const signOut = () => {
    const ok =
      waiting === 0 ||
      window.confirm(
        `${waiting} item(s) are saved on this phone but not sent yet. They will be sent when you sign in again. Sign out anyway?`,
      );
    if (ok) void authStore.logout();
  };
  return (
    <header className="pt-header">
      <span className="pt-brand">Vigil</span>
      <span className="pt-header-name">{name}</span>
      <button type="button" className="pt-signout" onClick={signOut}>
        Sign out
      </button>
    </header>
  );
}
