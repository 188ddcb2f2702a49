import { Document } from "./layout.js";

/** What a page says when the gateway could not tell who is signed in (rate limited, unavailable). */
export function ErrorPage({ nonce, message, retry }: { nonce: string; message: string; retry: string }) {
  return (
    <Document title="Try again shortly" nonce={nonce} config={{}}>
      <main class="login" id="content">
        <div class="panel">
          <h1>The dashboard could not load</h1>
          <p class="error" role="alert">
            {message}
          </p>
          <p>
            <a href={retry}>Try again</a>
          </p>
        </div>
      </main>
    </Document>
  );
}
