// Tries to reach an origin the widget's CSP does not declare; a host enforcing the CSP blocks it.
PierWidget.connect({
  name: "pier-csp-probe",
  onResult: async (result) => {
    const target = result && result.structuredContent && result.structuredContent.target;
    if (!target) return;
    document.getElementById("target").textContent = target;
    const outcome = document.getElementById("outcome");
    try {
      await fetch(target + "/probe");
      outcome.textContent = "The request went out: this host does not enforce connect-src.";
    } catch (e) {
      outcome.textContent = "Blocked, as ChatGPT would block it: " + e.message;
      outcome.className = "error";
    }
  },
});
