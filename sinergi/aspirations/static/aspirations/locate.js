// "Gunakan lokasi saya": progressive enhancement of the intake form. Without JavaScript (or without
// geolocation) the latitude/longitude fields are typed by hand; with it, one button fills them.
(function () {
  "use strict";
  var box = document.querySelector("[data-locate-label]");
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  if (!box || !lat || !lng || !("geolocation" in navigator)) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "secondary";
  button.textContent = box.getAttribute("data-locate-label");
  var status = document.createElement("p");
  status.className = "small muted";
  status.setAttribute("role", "status");
  button.addEventListener("click", function () {
    status.textContent = box.getAttribute("data-locate-wait");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lng.value = position.coords.longitude.toFixed(6);
        box.open = true;
        status.textContent = box.getAttribute("data-locate-done");
      },
      function () {
        status.textContent = box.getAttribute("data-locate-error");
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
  box.parentNode.insertBefore(button, box);
  box.parentNode.insertBefore(status, box);
})();
