// The dashboard's login page: the token goes to POST /v1/login, which
// answers with the session cookie (HttpOnly: this page never sees it
// again); then the dashboard opens, at the page the visitor asked for.
const form = document.getElementById("login-form");
const input = document.getElementById("token");
const error = document.getElementById("login-error");
const submit = document.getElementById("login-submit");

// The theme the dashboard's toggle chose.
const theme = localStorage.getItem("braid-theme");
if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;

function showError(text) {
  error.textContent = text;
  error.hidden = false;
  input.classList.add("invalid");
  input.focus();
  input.select();
}

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const token = input.value.trim();
  if (!token) {
    showError("Paste your token (it starts with braid_).");
    return;
  }
  submit.disabled = true;
  error.hidden = true;
  input.classList.remove("invalid");
  try {
    const r = await fetch("/v1/login", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ token }),
    });
    if (r.ok) {
      input.value = "";
      location.replace("/" + location.hash);
      return;
    }
    let message = `${r.status} ${r.statusText}`;
    try { message = (await r.json()).error.message || message; } catch { /* not JSON */ }
    showError(r.status === 401 ? "That token is not valid: " + message : message);
  } catch (e) {
    showError("The server could not be reached: " + e.message);
  } finally {
    submit.disabled = false;
  }
});
