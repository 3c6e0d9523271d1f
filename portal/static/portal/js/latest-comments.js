// The council document: a paragraph's latest comments, read when a reader first opens them.
//
// The page carries each paragraph's disclosure with the address of its latest comments
// (`data-latest`) and a link to all of them, which is what a reader without scripts follows.
"use strict";

document.addEventListener(
  "toggle",
  (event) => {
    const details = event.target;
    if (!details.open || !details.dataset.latest || details.dataset.state) {
      return;
    }
    const slot = details.querySelector(".latest-comments");
    const words = details.closest("[data-loading]").dataset;
    details.dataset.state = "loading";
    slot.setAttribute("aria-busy", "true");
    slot.textContent = words.loading;
    fetch(details.dataset.latest, { headers: { Accept: "text/html" } })
      .then((response) => {
        if (!response.ok) {
          throw new Error(`${response.status} ${response.statusText}`);
        }
        return response.text();
      })
      .then((cards) => {
        slot.innerHTML = cards; // written and escaped by the portal (comment_cards)
        details.dataset.state = "loaded";
      })
      .catch(() => {
        slot.textContent = words.failed;
        delete details.dataset.state; // closing and opening again tries again
      })
      .finally(() => slot.removeAttribute("aria-busy"));
  },
  true, // toggle does not bubble
);
