<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name></name>
    <message>
        <location filename="../admin.py" line="35"/>
        <source>Users and roles</source>
        <translation>Benutzer und Rollen</translation>
    </message>
    <message>
        <location filename="../admin.py" line="38"/>
        <location filename="../admin.py" line="122"/>
        <source>Add a user</source>
        <translation>Benutzer hinzufügen</translation>
    </message>
    <message>
        <location filename="../admin.py" line="46"/>
        <source>Users are managed at the central server. This station shows its read-only copy.</source>
        <translation>Benutzer werden am zentralen Server verwaltet. Diese Station zeigt ihre schreibgeschützte Kopie.</translation>
    </message>
    <message>
        <location filename="../admin.py" line="79"/>
        <source>Reset password</source>
        <translation>Passwort zurücksetzen</translation>
    </message>
    <message>
        <location filename="../admin.py" line="82"/>
        <source>Disable</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <location filename="../admin.py" line="100"/>
        <source>Admin user ID</source>
        <translation>Admin-Benutzerkennung</translation>
    </message>
    <message>
        <location filename="../admin.py" line="101"/>
        <source>Admin password</source>
        <translation>Admin-Passwort</translation>
    </message>
    <message>
        <location filename="../admin.py" line="123"/>
        <source>The new user chooses their own password at first login.</source>
        <translation>Der neue Benutzer wählt bei der ersten Anmeldung ein eigenes Passwort.</translation>
    </message>
    <message>
        <location filename="../admin.py" line="125"/>
        <location filename="../dialogs.py" line="140"/>
        <location filename="../login.py" line="48"/>
        <source>User ID</source>
        <translation>Benutzerkennung</translation>
    </message>
    <message>
        <location filename="../admin.py" line="126"/>
        <source>Printed name</source>
        <translation>Name in Druckschrift</translation>
    </message>
    <message>
        <location filename="../admin.py" line="128"/>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <location filename="../admin.py" line="130"/>
        <location filename="../admin.py" line="182"/>
        <source>Temporary password</source>
        <translation>Vorläufiges Passwort</translation>
    </message>
    <message>
        <location filename="../admin.py" line="157"/>
        <source>Disable {v0}</source>
        <translation>{v0} sperren</translation>
    </message>
    <message>
        <location filename="../admin.py" line="159"/>
        <source>{v0} can no longer log in or sign. The user ID is never reused.</source>
        <translation>{v0} kann sich nicht mehr anmelden oder unterschreiben. Die Kennung wird nie wieder vergeben.</translation>
    </message>
    <message>
        <location filename="../admin.py" line="163"/>
        <location filename="../admin.py" line="183"/>
        <location filename="../dialogs.py" line="197"/>
        <location filename="../dialogs.py" line="211"/>
        <location filename="../dialogs.py" line="239"/>
        <location filename="../main.py" line="420"/>
        <source>Reason</source>
        <translation>Begründung</translation>
    </message>
    <message>
        <location filename="../admin.py" line="179"/>
        <source>Reset the password of {v0}</source>
        <translation>Passwort von {v0} zurücksetzen</translation>
    </message>
    <message>
        <location filename="../admin.py" line="180"/>
        <source>A temporary password: the user chooses a new one at next login.</source>
        <translation>Ein vorläufiges Passwort: der Benutzer wählt bei der nächsten Anmeldung ein neues.</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="129"/>
        <location filename="../login.py" line="78"/>
        <source>unknown user ID</source>
        <translation>unbekannte Benutzerkennung</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="134"/>
        <source>{name} performed this step: a different person must sign</source>
        <translation>{name} hat diesen Schritt ausgeführt: eine andere Person muss unterschreiben</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="141"/>
        <location filename="../login.py" line="49"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="146"/>
        <source>Meaning: {meaning}</source>
        <translation>Bedeutung: {meaning}</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="147"/>
        <source>Signs: {what}</source>
        <translation>Unterschrift für: {what}</translation>
    </message>
    <message>
        <location filename="../custody.py" line="30"/>
        <source>received from the courier</source>
        <translation>vom Kurier übernommen</translation>
    </message>
    <message>
        <location filename="../custody.py" line="31"/>
        <source>room to room</source>
        <translation>von Raum zu Raum</translation>
    </message>
    <message>
        <location filename="../custody.py" line="32"/>
        <source>into storage</source>
        <translation>ins Lager</translation>
    </message>
    <message>
        <location filename="../custody.py" line="33"/>
        <source>out of storage</source>
        <translation>aus dem Lager</translation>
    </message>
    <message>
        <location filename="../custody.py" line="34"/>
        <source>handed to the courier for shipping</source>
        <translation>dem Kurier zum Versand übergeben</translation>
    </message>
    <message>
        <location filename="../custody.py" line="39"/>
        <location filename="../handover.py" line="315"/>
        <source>Seal</source>
        <translation>Siegel</translation>
    </message>
    <message>
        <location filename="../custody.py" line="39"/>
        <location filename="../custody.py" line="153"/>
        <location filename="../custody.py" line="176"/>
        <location filename="../custody.py" line="203"/>
        <location filename="../demo.py" line="248"/>
        <location filename="../demo.py" line="260"/>
        <location filename="../handover.py" line="315"/>
        <location filename="../handover.py" line="362"/>
        <source>intact</source>
        <translation>unversehrt</translation>
    </message>
    <message>
        <location filename="../custody.py" line="39"/>
        <location filename="../handover.py" line="315"/>
        <source>not intact</source>
        <translation>nicht unversehrt</translation>
    </message>
    <message>
        <location filename="../custody.py" line="62"/>
        <source>Chain of custody</source>
        <translation>Übergabekette</translation>
    </message>
    <message>
        <location filename="../custody.py" line="64"/>
        <source>Back to the batch</source>
        <translation>Zurück zur Charge</translation>
    </message>
    <message>
        <location filename="../custody.py" line="75"/>
        <source>Receive</source>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <location filename="../custody.py" line="79"/>
        <source>Ship</source>
        <translation>Versenden</translation>
    </message>
    <message>
        <location filename="../custody.py" line="104"/>
        <location filename="../dialogs.py" line="151"/>
        <location filename="../handover.py" line="314"/>
        <source>Batch {batch}</source>
        <translation>Charge {batch}</translation>
    </message>
    <message>
        <location filename="../custody.py" line="115"/>
        <source>{when} · {kind} · {where}
{giver} → {receiver} · {condition}</source>
        <translation>{when} · {kind} · {where}
{giver} → {receiver} · {condition}</translation>
    </message>
    <message>
        <location filename="../custody.py" line="125"/>
        <source>Received: {signed}</source>
        <translation>Übernommen: {signed}</translation>
    </message>
    <message>
        <location filename="../custody.py" line="129"/>
        <source>No custody transfer recorded yet.</source>
        <translation>Noch keine Übergabe erfasst.</translation>
    </message>
    <message>
        <location filename="../custody.py" line="139"/>
        <source>Receive from the courier</source>
        <translation>Vom Kurier übernehmen</translation>
    </message>
    <message>
        <location filename="../custody.py" line="142"/>
        <source>Courier (company and name)</source>
        <translation>Kurier (Firma und Name)</translation>
    </message>
    <message>
        <location filename="../custody.py" line="143"/>
        <location filename="../custody.py" line="191"/>
        <source>Where</source>
        <translation>Ort</translation>
    </message>
    <message>
        <location filename="../custody.py" line="143"/>
        <location filename="../demo.py" line="246"/>
        <source>Goods receipt</source>
        <translation>Wareneingang</translation>
    </message>
    <message>
        <location filename="../custody.py" line="144"/>
        <source>Shipper logger reading</source>
        <translation>Anzeige des Temperaturloggers</translation>
    </message>
    <message>
        <location filename="../custody.py" line="144"/>
        <source>for example -182 °C</source>
        <translation>zum Beispiel -182 °C</translation>
    </message>
    <message>
        <location filename="../custody.py" line="157"/>
        <source>Receipt from {giver}</source>
        <translation>Übernahme von {giver}</translation>
    </message>
    <message>
        <location filename="../custody.py" line="165"/>
        <source>Hand the material over</source>
        <translation>Material übergeben</translation>
    </message>
    <message>
        <location filename="../custody.py" line="168"/>
        <source>Transfer</source>
        <translation>Übergabe</translation>
    </message>
    <message>
        <location filename="../custody.py" line="169"/>
        <source>Where to</source>
        <translation>Wohin</translation>
    </message>
    <message>
        <location filename="../custody.py" line="183"/>
        <source>Hand over to the courier</source>
        <translation>Dem Kurier übergeben</translation>
    </message>
    <message>
        <location filename="../custody.py" line="186"/>
        <source>Dry shipper ID</source>
        <translation>Trockenversandbehälter-ID</translation>
    </message>
    <message>
        <location filename="../custody.py" line="187"/>
        <source>Logger ID</source>
        <translation>Logger-ID</translation>
    </message>
    <message>
        <location filename="../custody.py" line="188"/>
        <source>Logger reading at start</source>
        <translation>Loggeranzeige beim Start</translation>
    </message>
    <message>
        <location filename="../custody.py" line="188"/>
        <source>for example -190 °C</source>
        <translation>zum Beispiel -190 °C</translation>
    </message>
    <message>
        <location filename="../custody.py" line="189"/>
        <source>Courier company</source>
        <translation>Kurierfirma</translation>
    </message>
    <message>
        <location filename="../custody.py" line="190"/>
        <source>Air waybill</source>
        <translation>Luftfrachtbrief</translation>
    </message>
    <message>
        <location filename="../custody.py" line="191"/>
        <location filename="../demo.py" line="259"/>
        <source>Dispatch</source>
        <translation>Versand</translation>
    </message>
    <message>
        <location filename="../custody.py" line="207"/>
        <source>Shipment, air waybill {awb}</source>
        <translation>Versand, Luftfrachtbrief {awb}</translation>
    </message>
    <message>
        <location filename="../custody.py" line="219"/>
        <source>the person who takes the material</source>
        <translation>die Person, die das Material übernimmt</translation>
    </message>
    <message>
        <location filename="../custody.py" line="222"/>
        <source>Receiver&apos;s signature</source>
        <translation>Unterschrift des Empfängers</translation>
    </message>
    <message>
        <location filename="../custody.py" line="226"/>
        <source>Not recorded: custody needs the receiver&apos;s signature.</source>
        <translation>Nicht erfasst: Eine Übergabe braucht die Unterschrift des Empfängers.</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="156"/>
        <source>Signed by: {who} — printed name, date and time ({when}) are recorded with the signature</source>
        <translation>Unterschrift von: {who} — Name, Datum und Uhrzeit ({when}) werden mit der Unterschrift gespeichert</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="158"/>
        <source>the signer</source>
        <translation>der unterschreibenden Person</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="182"/>
        <location filename="../dialogs.py" line="248"/>
        <location filename="../step.py" line="946"/>
        <source>Sign</source>
        <translation>Unterschreiben</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="192"/>
        <location filename="../i18n.py" line="55"/>
        <location filename="../step.py" line="82"/>
        <location filename="../step.py" line="1065"/>
        <source>Witness</source>
        <translation>Bezeugen</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="200"/>
        <source>Acknowledge the exception</source>
        <translation>Ausnahme bestätigen</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="203"/>
        <location filename="../step.py" line="1109"/>
        <source>Acknowledge</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="217"/>
        <source>Approve</source>
        <translation>Freigeben</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="226"/>
        <source>Correct: {v0}</source>
        <translation>Korrigieren: {v0}</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="228"/>
        <source>Recorded value: {v0}</source>
        <translation>Erfasster Wert: {v0}</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="229"/>
        <source>The old value stays in the record beside the new one.</source>
        <translation>Der alte Wert bleibt neben dem neuen im Protokoll.</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="231"/>
        <source>Reason for the correction</source>
        <translation>Begründung der Korrektur</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="232"/>
        <location filename="../main.py" line="103"/>
        <source>Correct</source>
        <translation>Korrigieren</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="238"/>
        <source>Decision</source>
        <translation>Entscheidung</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="240"/>
        <source>Deviation number</source>
        <translation>Abweichungsnummer</translation>
    </message>
    <message>
        <location filename="../form.py" line="91"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../form.py" line="93"/>
        <location filename="../home.py" line="213"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../form.py" line="201"/>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location filename="../form.py" line="211"/>
        <location filename="../form.py" line="212"/>
        <location filename="../form.py" line="302"/>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <location filename="../form.py" line="244"/>
        <source>tap to type</source>
        <translation>zum Eingeben tippen</translation>
    </message>
    <message>
        <location filename="../form.py" line="279"/>
        <source> of {name}</source>
        <translation> von {name}</translation>
    </message>
    <message>
        <location filename="../form.py" line="302"/>
        <location filename="../step.py" line="148"/>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location filename="../form.py" line="350"/>
        <source>{field} is needed</source>
        <translation>{field} fehlt</translation>
    </message>
    <message>
        <location filename="../home.py" line="59"/>
        <source>Batches on this station</source>
        <translation>Chargen an dieser Station</translation>
    </message>
    <message>
        <location filename="../home.py" line="64"/>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location filename="../home.py" line="83"/>
        <source>Scan an apheresis bag to start a batch.</source>
        <translation>Apheresebeutel scannen, um eine Charge zu beginnen.</translation>
    </message>
    <message>
        <location filename="../home.py" line="92"/>
        <location filename="../home.py" line="341"/>
        <source>Start a batch</source>
        <translation>Charge beginnen</translation>
    </message>
    <message>
        <location filename="../home.py" line="108"/>
        <location filename="../main.py" line="234"/>
        <source>Order changes not checked: {v0}</source>
        <translation>Auftragsänderungen nicht geprüft: {v0}</translation>
    </message>
    <message>
        <location filename="../home.py" line="119"/>
        <source>No batch in progress.</source>
        <translation>Keine Charge in Arbeit.</translation>
    </message>
    <message>
        <location filename="../home.py" line="149"/>
        <location filename="../login.py" line="43"/>
        <source>Station {station}</source>
        <translation>Station {station}</translation>
    </message>
    <message>
        <location filename="../home.py" line="150"/>
        <source>No device connected</source>
        <translation>Kein Gerät angeschlossen</translation>
    </message>
    <message>
        <location filename="../home.py" line="153"/>
        <source>Not yet sent: {count}</source>
        <translation>Noch nicht gesendet: {count}</translation>
    </message>
    <message>
        <location filename="../home.py" line="154"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location filename="../home.py" line="174"/>
        <source>not a bag DIN: {v0}</source>
        <translation>keine Beutel-DIN: {v0}</translation>
    </message>
    <message>
        <location filename="../home.py" line="207"/>
        <source>Start a batch: choose the recipe</source>
        <translation>Charge beginnen: Rezept wählen</translation>
    </message>
    <message>
        <location filename="../home.py" line="230"/>
        <source>{v0}  (v{v1})</source>
        <translation>{v0}  (v{v1})</translation>
    </message>
    <message>
        <location filename="../home.py" line="258"/>
        <source>Choose the patient&apos;s order</source>
        <translation>Auftrag des Patienten wählen</translation>
    </message>
    <message>
        <location filename="../home.py" line="262"/>
        <source>No open order for this recipe has reached this station.</source>
        <translation>Für dieses Rezept ist kein offener Auftrag an dieser Station angekommen.</translation>
    </message>
    <message>
        <location filename="../home.py" line="276"/>
        <source>Patient {patient} · order {order}
CoI {coi} · due {due}</source>
        <translation>Patient {patient} · Auftrag {order}
CoI {coi} · fällig {due}</translation>
    </message>
    <message>
        <location filename="../home.py" line="292"/>
        <source>Type the order (a supervisor signs)</source>
        <translation>Auftrag eintippen (Supervisor unterschreibt)</translation>
    </message>
    <message>
        <location filename="../home.py" line="331"/>
        <source>YYYY-MM-DD HH:MM (UTC)</source>
        <translation>JJJJ-MM-TT HH:MM (UTC)</translation>
    </message>
    <message>
        <location filename="../home.py" line="335"/>
        <source>Recipe: {title} v{version}</source>
        <translation>Rezept: {title} v{version}</translation>
    </message>
    <message>
        <location filename="../home.py" line="344"/>
        <source>Start</source>
        <translation>Beginnen</translation>
    </message>
    <message>
        <location filename="../home.py" line="365"/>
        <source>Order typed at the station (no order chosen)</source>
        <translation>Auftrag an der Station eingetippt (kein Auftrag gewählt)</translation>
    </message>
    <message>
        <location filename="../home.py" line="368"/>
        <source>Supervisor: order typed by hand</source>
        <translation>Supervisor: Auftrag von Hand eingetippt</translation>
    </message>
    <message>
        <location filename="../home.py" line="391"/>
        <source>Batch started</source>
        <translation>Charge begonnen</translation>
    </message>
    <message>
        <location filename="../home.py" line="398"/>
        <source>Bag recorded</source>
        <translation>Beutel erfasst</translation>
    </message>
    <message>
        <location filename="../home.py" line="407"/>
        <source>Bag scanned: DIN {v0}</source>
        <translation>Beutel gescannt: DIN {v0}</translation>
    </message>
    <message>
        <location filename="../home.py" line="420"/>
        <source>last entry {when}</source>
        <translation>letzter Eintrag {when}</translation>
    </message>
    <message>
        <location filename="../home.py" line="441"/>
        <source>{name}: {text} is not a number</source>
        <translation>{name}: {text} ist keine Zahl</translation>
    </message>
    <message>
        <location filename="../home.py" line="443"/>
        <source>{name}: {value} is outside {limits}</source>
        <translation>{name}: {value} liegt außerhalb von {limits}</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="40"/>
        <source>in progress</source>
        <translation>in Arbeit</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="41"/>
        <source>on hold</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="42"/>
        <source>completed</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="43"/>
        <source>released</source>
        <translation>freigegeben</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="44"/>
        <source>aborted</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="45"/>
        <source>performed</source>
        <translation>durchgeführt</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="46"/>
        <source>verified</source>
        <translation>geprüft</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="47"/>
        <location filename="../step.py" line="1413"/>
        <source>witnessed</source>
        <translation>bezeugt</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="48"/>
        <source>reviewed</source>
        <translation>überprüft</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="49"/>
        <source>approved</source>
        <translation>genehmigt</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="50"/>
        <source>acknowledged</source>
        <translation>bestätigt</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="51"/>
        <location filename="../widgets.py" line="178"/>
        <source>Batch</source>
        <translation>Charge</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="52"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="53"/>
        <source>Order</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="54"/>
        <source>Trainee</source>
        <translation>Auszubildende(r)</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="56"/>
        <location filename="../step.py" line="82"/>
        <source>Supervisor approval</source>
        <translation>Genehmigung der Schichtleitung</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="57"/>
        <source>Signature</source>
        <translation>Unterschrift</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="58"/>
        <location filename="../widgets.py" line="64"/>
        <source>Recorded</source>
        <translation>Erfasst</translation>
    </message>
    <message>
        <location filename="../keypad.py" line="186"/>
        <source>Clear</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../keypad.py" line="191"/>
        <source>Space</source>
        <translation>Leertaste</translation>
    </message>
    <message>
        <location filename="../login.py" line="19"/>
        <source>Demo users (user ID / password): olivia / op-olivia-2026 and oscar / op-oscar-2026 (operators), sam / sup-samira-2026 (supervisor), quinn / qa-quinn-2026 (QA), tess / tech-tess-2026 (technician), ada / admin-ada-2026 (admin).</source>
        <translation>Demo-Benutzer (Kennung / Passwort): olivia / op-olivia-2026 und oscar / op-oscar-2026 (Bedienung), sam / sup-samira-2026 (Schichtleitung), quinn / qa-quinn-2026 (QS), tess / tech-tess-2026 (Technik), ada / admin-ada-2026 (Administration).</translation>
    </message>
    <message>
        <location filename="../login.py" line="41"/>
        <location filename="../login.py" line="59"/>
        <source>Log in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location filename="../login.py" line="44"/>
        <source>Scan your badge, or type your user ID. Then type your password.</source>
        <translation>Ausweis scannen oder Benutzerkennung eingeben. Dann das Passwort eingeben.</translation>
    </message>
    <message>
        <location filename="../login.py" line="48"/>
        <source>or scan your badge</source>
        <translation>oder Ausweis scannen</translation>
    </message>
    <message>
        <location filename="../login.py" line="52"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../login.py" line="60"/>
        <source>Exit kiosk</source>
        <translation>Kiosk verlassen</translation>
    </message>
    <message>
        <location filename="../login.py" line="77"/>
        <source>badge not known: type your user ID</source>
        <translation>Ausweis unbekannt: Benutzerkennung eingeben</translation>
    </message>
    <message>
        <location filename="../login.py" line="126"/>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <location filename="../login.py" line="133"/>
        <source>Choose your password</source>
        <translation>Eigenes Passwort wählen</translation>
    </message>
    <message>
        <location filename="../login.py" line="135"/>
        <source>Your password was set by an admin or has expired.</source>
        <translation>Ihr Passwort wurde von einem Admin gesetzt oder ist abgelaufen.</translation>
    </message>
    <message>
        <location filename="../login.py" line="136"/>
        <source>Type a new password of at least {n} characters, twice.</source>
        <translation>Ein neues Passwort mit mindestens {n} Zeichen zweimal eingeben.</translation>
    </message>
    <message>
        <location filename="../login.py" line="141"/>
        <source>New password</source>
        <translation>Neues Passwort</translation>
    </message>
    <message>
        <location filename="../login.py" line="142"/>
        <source>Again</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <location filename="../login.py" line="148"/>
        <source>the two passwords differ: try again</source>
        <translation>die beiden Passwörter sind verschieden: bitte erneut</translation>
    </message>
    <message>
        <location filename="../login.py" line="162"/>
        <source>Welcome, {name}</source>
        <translation>Willkommen, {name}</translation>
    </message>
    <message>
        <location filename="../login.py" line="207"/>
        <source>Station locked</source>
        <translation>Station gesperrt</translation>
    </message>
    <message>
        <location filename="../login.py" line="209"/>
        <source>{name}: type your password to go on where you were.</source>
        <translation>{name}: Passwort eingeben, um dort weiterzumachen, wo Sie waren.</translation>
    </message>
    <message>
        <location filename="../login.py" line="210"/>
        <source>Someone else? Tap Another user: your work so far is recorded.</source>
        <translation>Jemand anderes? Andere Person tippen: die bisherige Arbeit ist gespeichert.</translation>
    </message>
    <message>
        <location filename="../login.py" line="212"/>
        <source>Password of {name}</source>
        <translation>Passwort von {name}</translation>
    </message>
    <message>
        <location filename="../login.py" line="213"/>
        <source>Unlock</source>
        <translation>Entsperren</translation>
    </message>
    <message>
        <location filename="../login.py" line="214"/>
        <source>Another user</source>
        <translation>Andere Person</translation>
    </message>
    <message>
        <location filename="../login.py" line="234"/>
        <source>Unlocked</source>
        <translation>Entsperrt</translation>
    </message>
    <message>
        <location filename="../main.py" line="81"/>
        <source>Cleanroom kiosk — {v0}</source>
        <translation>Reinraum-Kiosk — {v0}</translation>
    </message>
    <message>
        <location filename="../handover.py" line="100"/>
        <location filename="../main.py" line="96"/>
        <location filename="../step.py" line="1172"/>
        <source>Home</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../custody.py" line="77"/>
        <location filename="../handover.py" line="123"/>
        <location filename="../handover.py" line="178"/>
        <location filename="../main.py" line="105"/>
        <source>Hand over</source>
        <translation>Übergeben</translation>
    </message>
    <message>
        <location filename="../handover.py" line="162"/>
        <source>{name} may not hand a batch over</source>
        <translation>{name} darf keine Charge übergeben</translation>
    </message>
    <message>
        <location filename="../handover.py" line="178"/>
        <source>Hand the batch over</source>
        <translation>Charge übergeben</translation>
    </message>
    <message>
        <location filename="../handover.py" line="220"/>
        <source>Waiting for this room</source>
        <translation>Wartet auf diesen Raum</translation>
    </message>
    <message>
        <location filename="../handover.py" line="257"/>
        <source>Asking the server…</source>
        <translation>Server wird gefragt…</translation>
    </message>
    <message>
        <location filename="../handover.py" line="276"/>
        <source>The server refused: {problem}</source>
        <translation>Der Server lehnt ab: {problem}</translation>
    </message>
    <message>
        <location filename="../handover.py" line="284"/>
        <source>{batch} · from {station}
room {room}</source>
        <translation>{batch} · von {station}
Raum {room}</translation>
    </message>
    <message>
        <location filename="../handover.py" line="289"/>
        <source> · waiting {time}</source>
        <translation> · wartet {time}</translation>
    </message>
    <message>
        <location filename="../handover.py" line="295"/>
        <source>No batch is waiting for this room.</source>
        <translation>Keine Charge wartet auf diesen Raum.</translation>
    </message>
    <message>
        <location filename="../handover.py" line="308"/>
        <source>{name} may not receive a batch</source>
        <translation>{name} darf keine Charge übernehmen</translation>
    </message>
    <message>
        <location filename="../handover.py" line="313"/>
        <source>The bag or product arrives</source>
        <translation>Beutel oder Produkt trifft ein</translation>
    </message>
    <message>
        <location filename="../handover.py" line="322"/>
        <source>Receipt of batch {batch} from station {station} for room {room}</source>
        <translation>Übernahme der Charge {batch} von Station {station} für Raum {room}</translation>
    </message>
    <message>
        <location filename="../handover.py" line="285"/>
        <location filename="../handover.py" line="323"/>
        <source>any</source>
        <translation>beliebig</translation>
    </message>
    <message>
        <location filename="../handover.py" line="49"/>
        <source>The server cannot be reached: a batch can be claimed only online.</source>
        <translation>Der Server ist nicht erreichbar: Eine Charge kann nur online übernommen werden.</translation>
    </message>
    <message>
        <location filename="../handover.py" line="54"/>
        <source>A hand-over needs the central server, and this station has none: call a supervisor.</source>
        <translation>Eine Übergabe braucht den zentralen Server, und diese Station hat keinen: Schichtleitung rufen.</translation>
    </message>
    <message>
        <location filename="../handover.py" line="325"/>
        <source>the person receiving the batch (an operator or a supervisor)</source>
        <translation>die Person, die die Charge übernimmt (Bediener oder Supervisor)</translation>
    </message>
    <message>
        <location filename="../handover.py" line="328"/>
        <source>Receive the batch</source>
        <translation>Charge übernehmen</translation>
    </message>
    <message>
        <location filename="../handover.py" line="367"/>
        <source>Batch {batch} received: it continues here</source>
        <translation>Charge {batch} übernommen: sie wird hier fortgesetzt</translation>
    </message>
    <message>
        <location filename="../main.py" line="101"/>
        <source>Hold</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <location filename="../main.py" line="107"/>
        <source>Lock</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <location filename="../main.py" line="109"/>
        <source>Log out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <location filename="../main.py" line="111"/>
        <source>Exit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../main.py" line="383"/>
        <source>Locked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <location filename="../main.py" line="383"/>
        <source>Locked after inactivity</source>
        <translation>Wegen Inaktivität gesperrt</translation>
    </message>
    <message>
        <location filename="../main.py" line="384"/>
        <source>{why} — your work is recorded</source>
        <translation>{why} — Ihre Arbeit ist gespeichert</translation>
    </message>
    <message>
        <location filename="../main.py" line="419"/>
        <source>Put the batch on hold</source>
        <translation>Charge anhalten</translation>
    </message>
    <message>
        <location filename="../main.py" line="421"/>
        <source>The batch stops until a supervisor resumes it.</source>
        <translation>Die Charge ruht, bis die Schichtleitung sie fortsetzt.</translation>
    </message>
    <message>
        <location filename="../main.py" line="426"/>
        <location filename="../step.py" line="1394"/>
        <source>Batch on hold</source>
        <translation>Charge angehalten</translation>
    </message>
    <message>
        <location filename="../main.py" line="428"/>
        <source>Batch on hold: {reason}</source>
        <translation>Charge angehalten: {reason}</translation>
    </message>
    <message>
        <location filename="../main.py" line="441"/>
        <source>no typed value in this batch to correct</source>
        <translation>in dieser Charge gibt es keinen eingegebenen Wert zu korrigieren</translation>
    </message>
    <message>
        <location filename="../main.py" line="456"/>
        <source>Correct a value</source>
        <translation>Einen Wert korrigieren</translation>
    </message>
    <message>
        <location filename="../main.py" line="457"/>
        <source>Choose the value to correct (the last four typed values).</source>
        <translation>Den zu korrigierenden Wert wählen (die letzten vier eingegebenen Werte).</translation>
    </message>
    <message>
        <location filename="../main.py" line="478"/>
        <source>Corrected: old and new value are both in the record</source>
        <translation>Korrigiert: alter und neuer Wert stehen beide im Protokoll</translation>
    </message>
    <message>
        <location filename="../main.py" line="489"/>
        <source>Scan ignored: finish the open dialog first</source>
        <translation>Scan ignoriert: zuerst den offenen Dialog abschließen</translation>
    </message>
    <message>
        <location filename="../main.py" line="503"/>
        <source>Scan ignored: nothing to scan on this screen ({v0})</source>
        <translation>Scan ignoriert: auf dieser Seite ist nichts zu scannen ({v0})</translation>
    </message>
    <message>
        <location filename="../main.py" line="513"/>
        <source>Close the kiosk and leave to the desktop</source>
        <translation>Kiosk schließen und zum Desktop wechseln</translation>
    </message>
    <message>
        <location filename="../main.py" line="514"/>
        <source>an admin</source>
        <translation>einem Admin</translation>
    </message>
    <message>
        <location filename="../main.py" line="515"/>
        <source>Exit the kiosk</source>
        <translation>Kiosk verlassen</translation>
    </message>
    <message>
        <location filename="../main.py" line="555"/>
        <source>The kiosk is closed with Exit and an admin signature</source>
        <translation>Der Kiosk wird mit Beenden und der Unterschrift eines Admins geschlossen</translation>
    </message>
    <message>
        <location filename="../main.py" line="563"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location filename="../home.py" line="62"/>
        <location filename="../review.py" line="54"/>
        <source>QA review</source>
        <translation>QS-Prüfung</translation>
    </message>
    <message>
        <location filename="../review.py" line="27"/>
        <source>minor</source>
        <translation>gering</translation>
    </message>
    <message>
        <location filename="../review.py" line="28"/>
        <source>major</source>
        <translation>erheblich</translation>
    </message>
    <message>
        <location filename="../review.py" line="29"/>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <location filename="../review.py" line="30"/>
        <source>open</source>
        <translation>offen</translation>
    </message>
    <message>
        <location filename="../review.py" line="31"/>
        <source>closed</source>
        <translation>geschlossen</translation>
    </message>
    <message>
        <location filename="../review.py" line="56"/>
        <source>Release batch</source>
        <translation>Charge freigeben</translation>
    </message>
    <message>
        <location filename="../review.py" line="86"/>
        <source>QA review: choose a batch</source>
        <translation>QS-Prüfung: Charge wählen</translation>
    </message>
    <message>
        <location filename="../review.py" line="112"/>
        <source>QA review: {v0}</source>
        <translation>QS-Prüfung: {v0}</translation>
    </message>
    <message>
        <location filename="../review.py" line="132"/>
        <source>Deviation {v0} ({v1}, {v2})</source>
        <translation>Abweichung {v0} ({v1}, {v2})</translation>
    </message>
    <message>
        <location filename="../review.py" line="148"/>
        <source>Open deviation</source>
        <translation>Abweichung eröffnen</translation>
    </message>
    <message>
        <location filename="../review.py" line="165"/>
        <source>QA</source>
        <translation>QS</translation>
    </message>
    <message>
        <location filename="../review.py" line="168"/>
        <source>QA signature</source>
        <translation>QS-Unterschrift</translation>
    </message>
    <message>
        <location filename="../review.py" line="201"/>
        <source>Open a deviation</source>
        <translation>Eine Abweichung eröffnen</translation>
    </message>
    <message>
        <location filename="../review.py" line="202"/>
        <source>QA investigates and closes it; the batch is not released before.</source>
        <translation>Die QS untersucht und schließt sie; vorher wird die Charge nicht freigegeben.</translation>
    </message>
    <message>
        <location filename="../review.py" line="206"/>
        <source>Classification</source>
        <translation>Einstufung</translation>
    </message>
    <message>
        <location filename="../review.py" line="210"/>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <location filename="../review.py" line="222"/>
        <source>Deviation {v0} opened</source>
        <translation>Abweichung {v0} eröffnet</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="245"/>
        <location filename="../review.py" line="142"/>
        <source>Disposition</source>
        <translation>Bewertung</translation>
    </message>
    <message>
        <location filename="../review.py" line="156"/>
        <source>Nothing to review: a clean batch.</source>
        <translation>Nichts zu prüfen: eine saubere Charge.</translation>
    </message>
    <message>
        <location filename="../step.py" line="167"/>
        <source>N.A.</source>
        <translation>Entfällt</translation>
    </message>
    <message>
        <location filename="../step.py" line="180"/>
        <source>Why {v0}?</source>
        <translation>Warum {v0}?</translation>
    </message>
    <message>
        <location filename="../step.py" line="181"/>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <location filename="../step.py" line="182"/>
        <source>{v0}: say why, in a few words.</source>
        <translation>{v0}: kurz begründen.</translation>
    </message>
    <message>
        <location filename="../capture.py" line="53"/>
        <source>viable cells</source>
        <translation>lebende Zellen</translation>
    </message>
    <message>
        <location filename="../capture.py" line="54"/>
        <source>total cells</source>
        <translation>Gesamtzellen</translation>
    </message>
    <message>
        <location filename="../capture.py" line="55"/>
        <source>viability</source>
        <translation>Viabilität</translation>
    </message>
    <message>
        <location filename="../capture.py" line="57"/>
        <source>incubator</source>
        <translation>Inkubator</translation>
    </message>
    <message>
        <location filename="../capture.py" line="57"/>
        <source>freezer</source>
        <translation>Einfriergerät</translation>
    </message>
    <message>
        <location filename="../capture.py" line="139"/>
        <source>equipment</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../capture.py" line="141"/>
        <source>Read from the {kind} “{role}”, node {node}</source>
        <translation>Gelesen vom {kind} „{role}“, Knoten {node}</translation>
    </message>
    <message>
        <location filename="../capture.py" line="147"/>
        <location filename="../capture.py" line="331"/>
        <location filename="../step.py" line="205"/>
        <source>allowed {limits}</source>
        <translation>erlaubt {limits}</translation>
    </message>
    <message>
        <location filename="../capture.py" line="150"/>
        <source>Not read yet: press Read</source>
        <translation>Noch nicht gelesen: Lesen drücken</translation>
    </message>
    <message>
        <location filename="../capture.py" line="152"/>
        <source>Type value (supervisor)</source>
        <translation>Wert tippen (Supervisor)</translation>
    </message>
    <message>
        <location filename="../capture.py" line="161"/>
        <source>Read</source>
        <translation>Lesen</translation>
    </message>
    <message>
        <location filename="../capture.py" line="192"/>
        <source>✕ Not set up</source>
        <translation>✕ Nicht eingerichtet</translation>
    </message>
    <message>
        <location filename="../capture.py" line="193"/>
        <source>No equipment “{role}” is set up at this station: a technician adds it</source>
        <translation>Kein Gerät „{role}“ an dieser Station eingerichtet: ein Techniker richtet es ein</translation>
    </message>
    <message>
        <location filename="../capture.py" line="198"/>
        <source>Reading…</source>
        <translation>Wird gelesen…</translation>
    </message>
    <message>
        <location filename="../capture.py" line="206"/>
        <source>✕ {status}</source>
        <translation>✕ {status}</translation>
    </message>
    <message>
        <location filename="../capture.py" line="207"/>
        <source>{node} reports status {status} — not used; read again</source>
        <translation>{node} meldet Status {status} — nicht verwendet; erneut lesen</translation>
    </message>
    <message>
        <location filename="../capture.py" line="223"/>
        <source>● {status} · {who}</source>
        <translation>● {status} · {who}</translation>
    </message>
    <message>
        <location filename="../capture.py" line="225"/>
        <source>not registered</source>
        <translation>nicht registriert</translation>
    </message>
    <message>
        <location filename="../capture.py" line="230"/>
        <source>Read from {source}; source time {time}</source>
        <translation>Gelesen von {source}; Quellzeit {time}</translation>
    </message>
    <message>
        <location filename="../capture.py" line="232"/>
        <source>not given</source>
        <translation>nicht angegeben</translation>
    </message>
    <message>
        <location filename="../capture.py" line="243"/>
        <source>the equipment could not be read: {v0}</source>
        <translation>das Gerät konnte nicht gelesen werden: {v0}</translation>
    </message>
    <message>
        <location filename="../capture.py" line="245"/>
        <source>✕ Not read</source>
        <translation>✕ Nicht gelesen</translation>
    </message>
    <message>
        <location filename="../capture.py" line="245"/>
        <source>Not read: {problem} — nothing recorded</source>
        <translation>Nicht gelesen: {problem} — nichts erfasst</translation>
    </message>
    <message>
        <location filename="../capture.py" line="252"/>
        <source>read the equipment first</source>
        <translation>zuerst das Gerät lesen</translation>
    </message>
    <message>
        <location filename="../capture.py" line="271"/>
        <source>Recorded from {source}</source>
        <translation>Erfasst von {source}</translation>
    </message>
    <message>
        <location filename="../capture.py" line="282"/>
        <source>Value typed by hand (equipment not read)</source>
        <translation>Wert von Hand getippt (Gerät nicht gelesen)</translation>
    </message>
    <message>
        <location filename="../capture.py" line="292"/>
        <source>{v0} is not a number</source>
        <translation>{v0} ist keine Zahl</translation>
    </message>
    <message>
        <location filename="../capture.py" line="302"/>
        <source>Typed value recorded (exception raised for review)</source>
        <translation>Getippter Wert erfasst (Abweichung zur Prüfung eröffnet)</translation>
    </message>
    <message>
        <location filename="../capture.py" line="323"/>
        <source>cell counter</source>
        <translation>Zellzähler</translation>
    </message>
    <message>
        <location filename="../capture.py" line="325"/>
        <source>Taken from the {instrument}&apos;s result file: {what}</source>
        <translation>Aus der Ergebnisdatei des {instrument}: {what}</translation>
    </message>
    <message>
        <location filename="../capture.py" line="344"/>
        <source>Look again</source>
        <translation>Erneut suchen</translation>
    </message>
    <message>
        <location filename="../capture.py" line="370"/>
        <source>Sample {ids} (or scan the tube&apos;s label)</source>
        <translation>Probe {ids} (oder Etikett des Röhrchens scannen)</translation>
    </message>
    <message>
        <location filename="../capture.py" line="370"/>
        <source> or </source>
        <translation> oder </translation>
    </message>
    <message>
        <location filename="../capture.py" line="374"/>
        <source>No cell counter folder is set up at this station: a technician adds it</source>
        <translation>Kein Zellzähler-Ordner an dieser Station eingerichtet: ein Techniker richtet ihn ein</translation>
    </message>
    <message>
        <location filename="../capture.py" line="377"/>
        <source>Looking…</source>
        <translation>Wird gesucht…</translation>
    </message>
    <message>
        <location filename="../capture.py" line="395"/>
        <source>no time given</source>
        <translation>keine Zeit angegeben</translation>
    </message>
    <message>
        <location filename="../capture.py" line="399"/>
        <source>File {name}, line {line}</source>
        <translation>Datei {name}, Zeile {line}</translation>
    </message>
    <message>
        <location filename="../capture.py" line="400"/>
        <source>Sample {sample} · measured {when} · {source}</source>
        <translation>Probe {sample} · gemessen {when} · {source}</translation>
    </message>
    <message>
        <location filename="../capture.py" line="403"/>
        <source>Viable {viable} · total {total} cells/mL · viability {viability} %</source>
        <translation>Lebend {viable} · gesamt {total} Zellen/mL · Viabilität {viability} %</translation>
    </message>
    <message>
        <location filename="../capture.py" line="416"/>
        <source>● {name}</source>
        <translation>● {name}</translation>
    </message>
    <message>
        <location filename="../capture.py" line="426"/>
        <source>the counter&apos;s folder could not be read: {v0}</source>
        <translation>der Ordner des Zählers konnte nicht gelesen werden: {v0}</translation>
    </message>
    <message>
        <location filename="../capture.py" line="429"/>
        <source>Not used: {v0}</source>
        <translation>Nicht verwendet: {v0}</translation>
    </message>
    <message>
        <location filename="../capture.py" line="439"/>
        <source>✕ No result</source>
        <translation>✕ Kein Ergebnis</translation>
    </message>
    <message>
        <location filename="../capture.py" line="458"/>
        <source>no counter result for this batch yet</source>
        <translation>noch kein Zählergebnis für diese Charge</translation>
    </message>
    <message>
        <location filename="../capture.py" line="471"/>
        <source>Recorded from {name}</source>
        <translation>Erfasst aus {name}</translation>
    </message>
    <message>
        <location filename="../capture.py" line="488"/>
        <source>The result comes from the LIMS; the batch goes on without waiting for it.</source>
        <translation>Das Ergebnis kommt aus dem LIMS; die Charge geht weiter, ohne darauf zu warten.</translation>
    </message>
    <message>
        <location filename="../step.py" line="207"/>
        <source>unit {unit}</source>
        <translation>Einheit {unit}</translation>
    </message>
    <message>
        <location filename="../step.py" line="207"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../step.py" line="210"/>
        <source>{n} decimals</source>
        <translation>{n} Nachkommastellen</translation>
    </message>
    <message>
        <location filename="../step.py" line="210"/>
        <source>{n} decimal</source>
        <translation>{n} Nachkommastelle</translation>
    </message>
    <message>
        <location filename="../capture.py" line="164"/>
        <location filename="../capture.py" line="263"/>
        <location filename="../capture.py" line="351"/>
        <location filename="../capture.py" line="464"/>
        <location filename="../step.py" line="216"/>
        <location filename="../step.py" line="260"/>
        <location filename="../step.py" line="286"/>
        <location filename="../step.py" line="624"/>
        <source>Record</source>
        <translation>Erfassen</translation>
    </message>
    <message>
        <location filename="../step.py" line="250"/>
        <source>type the value on the keypad first</source>
        <translation>zuerst den Wert auf dem Tastenfeld eingeben</translation>
    </message>
    <message>
        <location filename="../capture.py" line="261"/>
        <location filename="../capture.py" line="462"/>
        <location filename="../step.py" line="255"/>
        <location filename="../step.py" line="622"/>
        <source>Outside the action limits</source>
        <translation>Außerhalb der Eingriffsgrenzen</translation>
    </message>
    <message>
        <location filename="../step.py" line="257"/>
        <source>{v0}. Recording it puts the batch on hold until a supervisor acknowledges it. Record it?</source>
        <translation>{v0}. Beim Erfassen wird die Charge angehalten, bis die Schichtleitung bestätigt. Erfassen?</translation>
    </message>
    <message>
        <location filename="../capture.py" line="275"/>
        <location filename="../capture.py" line="475"/>
        <location filename="../step.py" line="266"/>
        <location filename="../step.py" line="633"/>
        <source>Recorded — batch on hold: {v0}</source>
        <translation>Erfasst — Charge angehalten: {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="323"/>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
    <message>
        <location filename="../step.py" line="361"/>
        <source>Needs {v0}</source>
        <translation>Benötigt: {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="364"/>
        <source>Needs {v0}, takes {v1}</source>
        <translation>Benötigt: {v0}, entnimmt {v1}</translation>
    </message>
    <message>
        <location filename="../step.py" line="374"/>
        <source>Lot list: not yet pulled from the server</source>
        <translation>Chargenliste: noch nicht vom Server geholt</translation>
    </message>
    <message>
        <location filename="../step.py" line="377"/>
        <source>Lot list from the server: less than a minute old</source>
        <translation>Chargenliste vom Server: weniger als eine Minute alt</translation>
    </message>
    <message>
        <location filename="../step.py" line="379"/>
        <source>Lot list from the server: {v0} min old</source>
        <translation>Chargenliste vom Server: {v0} min alt</translation>
    </message>
    <message>
        <location filename="../step.py" line="380"/>
        <source>Lot list from the server: {v0} h old</source>
        <translation>Chargenliste vom Server: {v0} h alt</translation>
    </message>
    <message>
        <location filename="../step.py" line="391"/>
        <source>the Data Matrix on the product label (DIN and CoI)</source>
        <translation>den Data-Matrix-Code auf dem Produktetikett (DIN und CoI)</translation>
    </message>
    <message>
        <location filename="../step.py" line="395"/>
        <source>Scan {v0}</source>
        <translation>Scannen: {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="397"/>
        <source>Waiting for the scanner…</source>
        <translation>Warten auf den Scanner…</translation>
    </message>
    <message>
        <location filename="../step.py" line="440"/>
        <source>Read from {v0}: {v1}</source>
        <translation>Gelesen von {v0}: {v1}</translation>
    </message>
    <message>
        <location filename="../step.py" line="441"/>
        <source>Scan accepted</source>
        <translation>Scan angenommen</translation>
    </message>
    <message>
        <location filename="../step.py" line="455"/>
        <source>13 characters, then the check character printed in the box</source>
        <translation>13 Zeichen, dann das Prüfzeichen aus dem Kästchen</translation>
    </message>
    <message>
        <location filename="../step.py" line="464"/>
        <source>CH, 13 characters, then the check character printed in the box</source>
        <translation>CH, 13 Zeichen, dann das Prüfzeichen aus dem Kästchen</translation>
    </message>
    <message>
        <location filename="../step.py" line="535"/>
        <source>— g</source>
        <translation>— g</translation>
    </message>
    <message>
        <location filename="../step.py" line="537"/>
        <source>No reading from the balance yet</source>
        <translation>Noch kein Messwert von der Waage</translation>
    </message>
    <message>
        <location filename="../step.py" line="545"/>
        <source>Record weight</source>
        <translation>Gewicht erfassen</translation>
    </message>
    <message>
        <location filename="../step.py" line="567"/>
        <source>Tare</source>
        <translation>Tarieren</translation>
    </message>
    <message>
        <location filename="../step.py" line="567"/>
        <source>Zero</source>
        <translation>Nullstellen</translation>
    </message>
    <message>
        <location filename="../step.py" line="572"/>
        <source>Type weight
(supervisor)</source>
        <translation>Gewicht eingeben
(Schichtleitung)</translation>
    </message>
    <message>
        <location filename="../step.py" line="584"/>
        <source>Balance fault: {v0}</source>
        <translation>Waagenfehler: {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="592"/>
        <source>● Stable — {device}</source>
        <translation>● Stabil — {device}</translation>
    </message>
    <message>
        <location filename="../step.py" line="592"/>
        <source>○ Not stable yet — {device}</source>
        <translation>○ Noch nicht stabil — {device}</translation>
    </message>
    <message>
        <location filename="../step.py" line="616"/>
        <source>the balance is not stable yet — wait for the stable sign</source>
        <translation>die Waage ist noch nicht stabil — auf das Stabil-Zeichen warten</translation>
    </message>
    <message>
        <location filename="../capture.py" line="262"/>
        <location filename="../capture.py" line="463"/>
        <location filename="../step.py" line="623"/>
        <source>{v0}. Recording it puts the batch on hold. Record it?</source>
        <translation>{v0}. Beim Erfassen wird die Charge angehalten. Erfassen?</translation>
    </message>
    <message>
        <location filename="../step.py" line="640"/>
        <source>{v0}: this balance takes no commands from the station — press the {v1} key on the balance itself</source>
        <translation>{v0}: diese Waage nimmt keine Befehle der Station an — die Taste {v1} an der Waage drücken</translation>
    </message>
    <message>
        <location filename="../step.py" line="648"/>
        <source>{v0} failed: {v1}</source>
        <translation>{v0} fehlgeschlagen: {v1}</translation>
    </message>
    <message>
        <location filename="../step.py" line="650"/>
        <source>{v0} sent to the balance</source>
        <translation>{v0} an die Waage gesendet</translation>
    </message>
    <message>
        <location filename="../step.py" line="658"/>
        <source>Manual weight (balance not used)</source>
        <translation>Gewicht von Hand (ohne Waage)</translation>
    </message>
    <message>
        <location filename="../capture.py" line="282"/>
        <location filename="../home.py" line="367"/>
        <location filename="../step.py" line="479"/>
        <location filename="../step.py" line="658"/>
        <location filename="../step.py" line="901"/>
        <location filename="../step.py" line="1132"/>
        <location filename="../step.py" line="1150"/>
        <source>a supervisor</source>
        <translation>der Schichtleitung</translation>
    </message>
    <message>
        <location filename="../step.py" line="414"/>
        <source>Type the DIN by hand
(supervisor)</source>
        <translation>DIN von Hand eingeben
(Vorgesetzte)</translation>
    </message>
    <message>
        <location filename="../step.py" line="415"/>
        <source>Type the CoI by hand
(supervisor)</source>
        <translation>CoI von Hand eingeben
(Vorgesetzte)</translation>
    </message>
    <message>
        <location filename="../step.py" line="416"/>
        <source>Type the lot by hand
(supervisor)</source>
        <translation>Charge von Hand eingeben
(Vorgesetzte)</translation>
    </message>
    <message>
        <location filename="../step.py" line="451"/>
        <source>DIN typed by hand (scan failed)</source>
        <translation>DIN von Hand eingegeben (Scan fehlgeschlagen)</translation>
    </message>
    <message>
        <location filename="../step.py" line="453"/>
        <source>DIN with its check character</source>
        <translation>DIN mit Prüfzeichen</translation>
    </message>
    <message>
        <location filename="../step.py" line="457"/>
        <source>DIN accepted (exception raised for review)</source>
        <translation>DIN angenommen (Ausnahme zur Prüfung gemeldet)</translation>
    </message>
    <message>
        <location filename="../step.py" line="460"/>
        <source>CoI typed by hand (scan failed)</source>
        <translation>CoI von Hand eingegeben (Scan fehlgeschlagen)</translation>
    </message>
    <message>
        <location filename="../step.py" line="462"/>
        <source>CoI with its check character</source>
        <translation>CoI mit Prüfzeichen</translation>
    </message>
    <message>
        <location filename="../step.py" line="466"/>
        <source>CoI accepted (exception raised for review)</source>
        <translation>CoI angenommen (Ausnahme zur Prüfung gemeldet)</translation>
    </message>
    <message>
        <location filename="../step.py" line="469"/>
        <source>Material label typed by hand (scan failed)</source>
        <translation>Materialetikett von Hand eingegeben (Scan fehlgeschlagen)</translation>
    </message>
    <message>
        <location filename="../step.py" line="471"/>
        <source>Text under the barcode</source>
        <translation>Text unter dem Barcode</translation>
    </message>
    <message>
        <location filename="../step.py" line="473"/>
        <source>(01) GTIN (10) lot (17) expiry, as printed under the barcode</source>
        <translation>(01) GTIN (10) Charge (17) Verfall, wie unter dem Barcode gedruckt</translation>
    </message>
    <message>
        <location filename="../step.py" line="475"/>
        <source>Lot accepted (exception raised for review)</source>
        <translation>Charge angenommen (Ausnahme zur Prüfung gemeldet)</translation>
    </message>
    <message>
        <location filename="../step.py" line="660"/>
        <source>Weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <location filename="../step.py" line="673"/>
        <source>Manual weight recorded (exception raised for review)</source>
        <translation>Gewicht von Hand erfasst (Ausnahme zur Prüfung gemeldet)</translation>
    </message>
    <message>
        <location filename="../step.py" line="701"/>
        <source>Formula: {v0}</source>
        <translation>Formel: {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="711"/>
        <source>Confirm</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <location filename="../step.py" line="714"/>
        <source>Confirmed</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <location filename="../step.py" line="748"/>
        <source>Start timer</source>
        <translation>Timer starten</translation>
    </message>
    <message>
        <location filename="../step.py" line="751"/>
        <source>Timer started</source>
        <translation>Timer gestartet</translation>
    </message>
    <message>
        <location filename="../step.py" line="754"/>
        <source>Stop timer</source>
        <translation>Timer stoppen</translation>
    </message>
    <message>
        <location filename="../step.py" line="756"/>
        <source>End early
(supervisor)</source>
        <translation>Früher beenden
(Schichtleitung)</translation>
    </message>
    <message>
        <location filename="../step.py" line="787"/>
        <source>Monitoring: no equipment {v0} is configured at this station</source>
        <translation>Überwachung: an dieser Station ist kein Gerät {v0} eingerichtet</translation>
    </message>
    <message>
        <location filename="../step.py" line="797"/>
        <source>Monitoring: {v0} has no node {v1} in this station&apos;s configuration</source>
        <translation>Überwachung: {v0} hat in der Konfiguration dieser Station keinen Knoten {v1}</translation>
    </message>
    <message>
        <location filename="../step.py" line="803"/>
        <source>Monitoring {v0} every {v1}</source>
        <translation>Überwachung {v0} alle {v1}</translation>
    </message>
    <message>
        <location filename="../step.py" line="823"/>
        <source>No readings since {v0} ({v1})</source>
        <translation>Keine Messwerte seit {v0} ({v1})</translation>
    </message>
    <message>
        <location filename="../step.py" line="835"/>
        <source>{v0} {v1}</source>
        <translation>{v0} {v1}</translation>
    </message>
    <message>
        <location filename="../step.py" line="837"/>
        <source>alert</source>
        <translation>Warngrenzen</translation>
    </message>
    <message>
        <location filename="../step.py" line="838"/>
        <source>action</source>
        <translation>Eingriffsgrenzen</translation>
    </message>
    <message>
        <location filename="../step.py" line="845"/>
        <source>Monitoring at {v0}:
{v1}</source>
        <translation>Überwachung um {v0}:
{v1}</translation>
    </message>
    <message>
        <location filename="../step.py" line="854"/>
        <source>Monitoring stopped: {v0}</source>
        <translation>Überwachung beendet: {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="878"/>
        <source>Not started. Start it when the step begins.</source>
        <translation>Nicht gestartet. Zu Beginn des Schritts starten.</translation>
    </message>
    <message>
        <location filename="../step.py" line="882"/>
        <source>Minimum reached in {v0}</source>
        <translation>Mindestzeit erreicht in {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="885"/>
        <source>Over the maximum by {v0}</source>
        <translation>Höchstzeit überschritten um {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="889"/>
        <source>Stop within {v0}</source>
        <translation>Stoppen innerhalb von {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="891"/>
        <source>Minimum reached: stop when ready</source>
        <translation>Mindestzeit erreicht: stoppen, wenn bereit</translation>
    </message>
    <message>
        <location filename="../step.py" line="895"/>
        <source>Timer stopped</source>
        <translation>Timer gestoppt</translation>
    </message>
    <message>
        <location filename="../step.py" line="901"/>
        <source>End the timer before its minimum</source>
        <translation>Timer vor der Mindestzeit beenden</translation>
    </message>
    <message>
        <location filename="../step.py" line="911"/>
        <source>Timer ended early (exception raised for review)</source>
        <translation>Timer früher beendet (Ausnahme zur Prüfung gemeldet)</translation>
    </message>
    <message>
        <location filename="../step.py" line="929"/>
        <source>Needs the signature of {v0}, meaning “{v1}”.</source>
        <translation>Braucht die Unterschrift von {v0}, Bedeutung „{v1}“.</translation>
    </message>
    <message>
        <location filename="../step.py" line="940"/>
        <source>The signature covers: {values}</source>
        <translation>Die Unterschrift umfasst: {values}</translation>
    </message>
    <message>
        <location filename="../step.py" line="951"/>
        <source>Open QA review</source>
        <translation>QS-Prüfung öffnen</translation>
    </message>
    <message>
        <location filename="../step.py" line="989"/>
        <source>Print label</source>
        <translation>Etikett drucken</translation>
    </message>
    <message>
        <location filename="../step.py" line="1003"/>
        <source>Label printed</source>
        <translation>Etikett gedruckt</translation>
    </message>
    <message>
        <location filename="../step.py" line="1023"/>
        <source>Recorded: {v0}</source>
        <translation>Erfasst: {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1030"/>
        <source>by {v0}, {v1}</source>
        <translation>von {v0}, {v1}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1064"/>
        <source>a different person from {v0}</source>
        <translation>einer anderen Person als {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1121"/>
        <source>A supervisor resumes the batch with a reason.</source>
        <translation>Die Schichtleitung setzt die Charge mit Begründung fort.</translation>
    </message>
    <message>
        <location filename="../step.py" line="1123"/>
        <source>Resume (supervisor)</source>
        <translation>Fortsetzen (Schichtleitung)</translation>
    </message>
    <message>
        <location filename="../step.py" line="1132"/>
        <source>the exception and its reason</source>
        <translation>die Ausnahme und ihre Begründung</translation>
    </message>
    <message>
        <location filename="../step.py" line="1140"/>
        <source>Exception acknowledged</source>
        <translation>Ausnahme bestätigt</translation>
    </message>
    <message>
        <location filename="../step.py" line="1148"/>
        <source>Resume the batch</source>
        <translation>Charge fortsetzen</translation>
    </message>
    <message>
        <location filename="../step.py" line="1151"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../step.py" line="1159"/>
        <source>Batch resumed</source>
        <translation>Charge fortgesetzt</translation>
    </message>
    <message>
        <location filename="../step.py" line="1357"/>
        <source>Stages: {stages}</source>
        <translation>Abschnitte: {stages}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1370"/>
        <source>Stage {n}/{total}: {title}</source>
        <translation>Abschnitt {n}/{total}: {title}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1372"/>
        <source>, day {note}</source>
        <translation>, Tag {note}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1402"/>
        <source>Batch {v0}</source>
        <translation>Charge {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1411"/>
        <source>critical ({what})</source>
        <translation>kritisch ({what})</translation>
    </message>
    <message>
        <location filename="../step.py" line="1416"/>
        <source>{meaning} by {who}</source>
        <translation>{meaning} von {who}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1465"/>
        <source>Custody</source>
        <translation>Übergaben</translation>
    </message>
    <message>
        <location filename="../home.py" line="63"/>
        <location filename="../technician.py" line="78"/>
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <location filename="../technician.py" line="101"/>
        <source>Equipment logbook</source>
        <translation>Geräte-Logbuch</translation>
    </message>
    <message>
        <location filename="../technician.py" line="102"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location filename="../technician.py" line="139"/>
        <source>No equipment events yet.</source>
        <translation>Noch keine Geräte-Ereignisse.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="144"/>
        <source>Logbook not readable: {v0}</source>
        <translation>Logbuch nicht lesbar: {v0}</translation>
    </message>
    <message>
        <location filename="../technician.py" line="212"/>
        <source>Log in first.</source>
        <translation>Zuerst anmelden.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="222"/>
        <source>Identify the device in {v0} first.</source>
        <translation>Zuerst das Gerät in {v0} identifizieren.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="239"/>
        <source>{v0} is a {v1}: daily checks are for balances.</source>
        <translation>{v0} ist ein Gerät der Art {v1}: die tägliche Prüfung gilt für Waagen.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="246"/>
        <source>Serial {v0} is not registered: register it first.</source>
        <translation>Seriennummer {v0} ist nicht registriert: zuerst registrieren.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="251"/>
        <source>Daily check of {v0}</source>
        <translation>Tägliche Prüfung von {v0}</translation>
    </message>
    <message>
        <location filename="../technician.py" line="253"/>
        <source>Put the reference weight on the balance and wait until it is stable.</source>
        <translation>Das Referenzgewicht auf die Waage legen und warten, bis sie stabil ist.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="254"/>
        <source>The station reads the stable weight from the balance itself.</source>
        <translation>Die Station liest das stabile Gewicht selbst von der Waage.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="257"/>
        <source>Reference weight (g)</source>
        <translation>Referenzgewicht (g)</translation>
    </message>
    <message>
        <location filename="../technician.py" line="258"/>
        <source>Tolerance (± g)</source>
        <translation>Toleranz (± g)</translation>
    </message>
    <message>
        <location filename="../technician.py" line="266"/>
        <source>Type the reference weight and the tolerance as numbers in grams.</source>
        <translation>Referenzgewicht und Toleranz als Zahlen in Gramm eingeben.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="283"/>
        <source>Accept {v0}</source>
        <translation>{v0} abnehmen</translation>
    </message>
    <message>
        <location filename="../technician.py" line="284"/>
        <source>a technician or admin</source>
        <translation>einer Technikerin, einem Techniker oder Admin</translation>
    </message>
    <message>
        <location filename="../technician.py" line="285"/>
        <source>Accept device</source>
        <translation>Gerät abnehmen</translation>
    </message>
    <message>
        <location filename="../technician.py" line="310"/>
        <source>{v0}: working…</source>
        <translation>{v0}: läuft…</translation>
    </message>
    <message>
        <location filename="../technician.py" line="326"/>
        <source>{v0} not done: {v1}</source>
        <translation>{v0} nicht ausgeführt: {v1}</translation>
    </message>
    <message>
        <location filename="../station.py" line="146"/>
        <source>not recorded: {v0}</source>
        <translation>nicht gespeichert: {v0}</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="23"/>
        <source>critical process parameter or quality attribute</source>
        <translation>kritischer Prozessparameter oder Qualitätsmerkmal</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="24"/>
        <source>value outside its limits</source>
        <translation>Wert außerhalb seiner Grenzen</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="25"/>
        <source>failed check</source>
        <translation>nicht bestandene Prüfung</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="26"/>
        <source>chain of identity</source>
        <translation>Identitätskette</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="27"/>
        <source>manual entry</source>
        <translation>Eingabe von Hand</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="28"/>
        <source>process deviation</source>
        <translation>Prozessabweichung</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="29"/>
        <source>wrong material, bag or equipment</source>
        <translation>falsches Material, falscher Beutel oder falsches Gerät</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="30"/>
        <source>time outside its window</source>
        <translation>Zeit außerhalb des Zeitfensters</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="59"/>
        <source>Alert limits {limits}</source>
        <translation>Warngrenzen {limits}</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="62"/>
        <source>Action limits {limits} (outside: the batch is held)</source>
        <translation>Eingriffsgrenzen {limits} (außerhalb: die Charge wird angehalten)</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="80"/>
        <source>{what} {value} is below the action limit {limit}</source>
        <translation>{what} {value} liegt unter der Eingriffsgrenze {limit}</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="85"/>
        <source>{what} {value} is above the action limit {limit}</source>
        <translation>{what} {value} liegt über der Eingriffsgrenze {limit}</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="98"/>
        <source>the system</source>
        <translation>dem System</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="99"/>
        <source> (a blocking exception, below)</source>
        <translation> (eine blockierende Ausnahme, unten)</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="100"/>
        <source>Held by {who}, {when}</source>
        <translation>Angehalten von {who}, {when}</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="152"/>
        <source>{title}: awaited from the LIMS</source>
        <translation>{title}: vom LIMS erwartet</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="163"/>
        <source>OUT OF SPECIFICATION</source>
        <translation>AUSSERHALB DER SPEZIFIKATION</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="163"/>
        <source>pass</source>
        <translation>bestanden</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="167"/>
        <source>{title}: {value} (specification {spec}) — {verdict}</source>
        <translation>{title}: {value} (Spezifikation {spec}) — {verdict}</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="173"/>
        <source>{title}: {value} — {verdict}</source>
        <translation>{title}: {value} — {verdict}</translation>
    </message>
    <message>
        <location filename="../viewinfo.py" line="175"/>
        <source>Release tests from the LIMS:</source>
        <translation>Freigabeprüfungen aus dem LIMS:</translation>
    </message>
    <message>
        <location filename="../startup.py" line="25"/>
        <source>Kiosk: cannot start</source>
        <translation>Kiosk: Start nicht möglich</translation>
    </message>
    <message>
        <location filename="../startup.py" line="33"/>
        <source>File: {file}</source>
        <translation>Datei: {file}</translation>
    </message>
    <message>
        <location filename="../startup.py" line="40"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../decisions.py" line="66"/>
        <source>QA decisions not taken in: {v0}</source>
        <translation>QA-Entscheidungen nicht übernommen: {v0}</translation>
    </message>
    <message>
        <location filename="../decisions.py" line="72"/>
        <source>QC result {test} taken in for batch {batch}</source>
        <translation>QC-Ergebnis {test} für Charge {batch} übernommen</translation>
    </message>
    <message>
        <location filename="../decisions.py" line="76"/>
        <source>QA decisions from the portal taken in for batch {batch}</source>
        <translation>QA-Entscheidungen aus dem Portal für Charge {batch} übernommen</translation>
    </message>
</context>
</TS>
