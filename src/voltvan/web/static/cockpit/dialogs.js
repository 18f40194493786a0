// The two dialogs at a stop: delivered (a photo and/or a signature) and not delivered (a reason).
// Each calls ``act(stop, fields, proofs)`` when the driver confirms.

import { SignaturePad, shrinkPhoto } from "./proof.js";

const $ = (id) => document.getElementById(id);
let act = null;

let pad = null;
let photo = null;

export function openDeliver(stop) {
  const dlg = $("deliver");
  photo = null;
  $("photo").value = "";
  $("photo-preview").hidden = true;
  pad.clear();
  $("deliver-stop").textContent = `${stop.stop?.name || stop.location_id} · ${stop.location_id}`;
  dlg.returnValue = "";
  dlg.onclose = async () => {
    if (dlg.returnValue !== "ok") return;
    const signature = await pad.blob();
    await act(stop, { kind: "delivered" }, { photo, signature });
  };
  dlg.showModal();
}

function canDeliver() {
  $("deliver-ok").disabled = !(photo || pad?.drawn);
}

export function openFail(stop) {
  const dlg = $("fail");
  $("fail-form").reset();
  $("fail-stop").textContent = `${stop.stop?.name || stop.location_id} · ${stop.location_id}`;
  dlg.returnValue = "";
  dlg.onclose = async () => {
    if (dlg.returnValue !== "ok") return;
    const reason = $("fail-form").elements.reason.value;
    const note = $("fail-note").value.trim();
    await act(stop, { kind: "failed", reason, note }, {});
  };
  dlg.showModal();
}

export function wireDialogs(onAct) {
  act = onAct;
  pad = new SignaturePad($("signature"), canDeliver);
  $("signature-clear").onclick = () => pad.clear();
  $("photo").onchange = async () => {
    const file = $("photo").files[0];
    photo = file ? await shrinkPhoto(file) : null;
    const img = $("photo-preview");
    if (photo) img.src = URL.createObjectURL(photo);
    img.hidden = !photo;
    canDeliver();
  };
  $("fail-note").oninput = $("fail-form").onchange = () => {
    const other = $("fail-form").elements.reason.value === "other";
    $("fail-note").required = other;
  };
}
