import { Document } from "./layout.js";

/**
 * Sign-in (issue 18 item 1's API, `POST /dashboard/api/session`, sent by the page script): email
 * and password; the code field appears when the API answers `totp_required`. Without the script
 * nothing is posted (the session API takes JSON only), and the page says so.
 */
export function LoginPage({ nonce, next }: { nonce: string; next: string }) {
  return (
    <Document title="Sign in" nonce={nonce} config={{ next }}>
      <main class="login" id="content">
        <div class="panel">
          <h1>Sign in to your dashboard</h1>
          <form id="login-form" novalidate>
            <div class="field">
              <label for="email">Email</label>
              <input id="email" name="email" type="email" autocomplete="username" required />
            </div>
            <div class="field">
              <label for="password">Password</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required />
            </div>
            <div class="field" id="totp-field" hidden>
              <label for="totp">Authentication code</label>
              <input
                id="totp"
                name="totp"
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                pattern="[0-9]{6}"
                maxlength={6}
              />
            </div>
            <button type="submit">Sign in</button>
            <p class="status" id="login-status" role="status" aria-live="polite" />
          </form>
          <noscript>
            <p class="error">Signing in needs JavaScript (the sign-in API takes JSON only).</p>
          </noscript>
        </div>
      </main>
    </Document>
  );
}
