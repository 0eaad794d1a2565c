/**
 * What the API's own database role (compose: `vigil_app`) may do, applied by `npm run migrate`
 * (as the owner) after the migrations whenever DATABASE_APP_ROLE is set, so tables added by
 * later migrations are covered too. Ordinary rights on the working tables; the session event log
 * is insert-only; the audit trail is exactly the grants docs/ARCHITECTURE.md describes (SELECT,
 * INSERT on audit_events; SELECT, UPDATE on audit_chain_head). The role owns nothing, so it can
 * neither disable the audit triggers nor change the schema.
 */
export function appRoleGrants(role: string): string[] {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new Error(`not a plain role name: ${role}`);
  const r = `"${role}"`;
  return [
    // PostgreSQL 14 and older let PUBLIC create in the public schema; 15+ already does not.
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA public TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
    `REVOKE UPDATE, DELETE, TRUNCATE ON session_events FROM ${r}`,
    `REVOKE ALL ON audit_events, audit_chain_head FROM ${r}`,
    `GRANT SELECT, INSERT ON audit_events TO ${r}`,
    `GRANT SELECT, UPDATE ON audit_chain_head TO ${r}`,
    // The API reads the migrations table at boot (nothing pending) and never writes it, nor the
    // deployment id its Redis channels are named after.
    `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations, deployment FROM ${r}`,
  ];
}
