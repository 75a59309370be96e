// The full-screen button of the QR projection page (/emargement/:slotId/projection): shown only
// where the Fullscreen API exists; puts the QR block in full screen, Échap (or the button) leaves.
const button = document.querySelector<HTMLButtonElement>("[data-fullscreen]");
const target = document.getElementById("projection");
if (button && target && document.fullscreenEnabled) {
  button.hidden = false;
  const label = () => {
    button.textContent = document.fullscreenElement ? "Quitter le plein écran" : "Plein écran";
  };
  button.addEventListener("click", async () => {
    if (document.fullscreenElement) await document.exitFullscreen();
    else await target.requestFullscreen();
  });
  document.addEventListener("fullscreenchange", label);
}
