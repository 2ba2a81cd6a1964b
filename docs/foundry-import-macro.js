// charforge: import every actor JSON file in a folder of your Foundry data directory (Foundry VTT 13-14, dnd5e 5.x).
//
// 1. Export the characters:  charforge jobs export --batch ID -f foundry --out town/  (one actor file per NPC)
// 2. Copy the folder into your Foundry user data, e.g. Data/charforge/town/
// 3. Create a Script macro with this text, set FOLDER below, and run it as a GM.
//
// Each file goes through the same path as "Import Data" on an actor sheet (Actor#importFromJSON), so Foundry
// migrates it and keeps its embedded items linked to the dnd5e SRD compendium. index.json (the batch's index)
// and anything that is not a character actor are skipped; the actors land in one Actor folder.

const FOLDER = "charforge/town";          // under your Data directory
const ACTOR_FOLDER = "charforge import";  // the Actors sidebar folder to put them in

const Picker = foundry.applications?.apps?.FilePicker?.implementation ?? FilePicker;
const { files } = await Picker.browse("data", FOLDER, { extensions: [".json"] });
const wanted = files.filter((path) => !path.endsWith("/index.json"));
if (!wanted.length) {
  ui.notifications.warn(`charforge: no .json files in Data/${FOLDER}`);
  return;
}
const folder = game.folders.find((f) => f.type === "Actor" && f.name === ACTOR_FOLDER)
  ?? await Folder.create({ name: ACTOR_FOLDER, type: "Actor" });

let imported = 0;
const skipped = [];
for (const path of wanted) {
  try {
    const response = await fetch(path);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const text = await response.text();
    const data = JSON.parse(text);
    if (data.type !== "character" || !data.system) {
      skipped.push(`${path} (not a character actor)`);
      continue;
    }
    const actor = await Actor.implementation.create({ name: data.name, type: "character", folder: folder.id });
    await actor.importFromJSON(text);
    await actor.update({ folder: folder.id });  // importFromJSON replaces the data, folder included
    imported += 1;
  } catch (error) {
    skipped.push(`${path} (${error.message})`);
  }
}
ui.notifications.info(`charforge: imported ${imported} of ${wanted.length} actors into "${ACTOR_FOLDER}"`);
if (skipped.length) console.warn("charforge: skipped", skipped);
