<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name></name>
    <message>
        <location filename="../admin.py" line="34"/>
        <source>Users and roles</source>
        <translation>Benutzer und Rollen</translation>
    </message>
    <message>
        <location filename="../admin.py" line="37"/>
        <location filename="../admin.py" line="118"/>
        <source>Add a user</source>
        <translation>Benutzer hinzufügen</translation>
    </message>
    <message>
        <location filename="../admin.py" line="45"/>
        <source>Users are managed at the central server. This station shows its read-only copy.</source>
        <translation>Benutzer werden am zentralen Server verwaltet. Diese Station zeigt ihre schreibgeschützte Kopie.</translation>
    </message>
    <message>
        <location filename="../admin.py" line="75"/>
        <source>Reset password</source>
        <translation>Passwort zurücksetzen</translation>
    </message>
    <message>
        <location filename="../admin.py" line="78"/>
        <source>Disable</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <location filename="../admin.py" line="96"/>
        <source>Admin user ID</source>
        <translation>Admin-Benutzerkennung</translation>
    </message>
    <message>
        <location filename="../admin.py" line="97"/>
        <source>Admin password</source>
        <translation>Admin-Passwort</translation>
    </message>
    <message>
        <location filename="../admin.py" line="119"/>
        <source>The new user chooses their own password at first login.</source>
        <translation>Der neue Benutzer wählt bei der ersten Anmeldung ein eigenes Passwort.</translation>
    </message>
    <message>
        <location filename="../admin.py" line="121"/>
        <location filename="../dialogs.py" line="142"/>
        <location filename="../login.py" line="48"/>
        <source>User ID</source>
        <translation>Benutzerkennung</translation>
    </message>
    <message>
        <location filename="../admin.py" line="122"/>
        <source>Printed name</source>
        <translation>Name in Druckschrift</translation>
    </message>
    <message>
        <location filename="../admin.py" line="124"/>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <location filename="../admin.py" line="126"/>
        <location filename="../admin.py" line="178"/>
        <source>Temporary password</source>
        <translation>Vorläufiges Passwort</translation>
    </message>
    <message>
        <location filename="../admin.py" line="153"/>
        <source>Disable {v0}</source>
        <translation>{v0} sperren</translation>
    </message>
    <message>
        <location filename="../admin.py" line="155"/>
        <source>{v0} can no longer log in or sign. The user ID is never reused.</source>
        <translation>{v0} kann sich nicht mehr anmelden oder unterschreiben. Die Kennung wird nie wieder vergeben.</translation>
    </message>
    <message>
        <location filename="../admin.py" line="159"/>
        <location filename="../admin.py" line="179"/>
        <location filename="../dialogs.py" line="217"/>
        <location filename="../dialogs.py" line="232"/>
        <location filename="../dialogs.py" line="261"/>
        <location filename="../main.py" line="443"/>
        <source>Reason</source>
        <translation>Begründung</translation>
    </message>
    <message>
        <location filename="../admin.py" line="175"/>
        <source>Reset the password of {v0}</source>
        <translation>Passwort von {v0} zurücksetzen</translation>
    </message>
    <message>
        <location filename="../admin.py" line="176"/>
        <source>A temporary password: the user chooses a new one at next login.</source>
        <translation>Ein vorläufiges Passwort: der Benutzer wählt bei der nächsten Anmeldung ein neues.</translation>
    </message>
    <message>
        <location filename="../admin.py" line="192"/>
        <source>Password of {user} reset</source>
        <translation>Passwort von {user} zurückgesetzt</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="131"/>
        <location filename="../login.py" line="78"/>
        <source>unknown user ID</source>
        <translation>Kennung unbekannt</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="136"/>
        <source>{name} performed this step: a different person must sign</source>
        <translation>{name} hat diesen Schritt ausgeführt: eine andere Person muss unterschreiben</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="143"/>
        <location filename="../login.py" line="49"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="148"/>
        <location filename="../dialogs.py" line="169"/>
        <source>Meaning: {meaning}</source>
        <translation>Bedeutung: {meaning}</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="149"/>
        <location filename="../dialogs.py" line="172"/>
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
        <location filename="../handover.py" line="332"/>
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
        <location filename="../handover.py" line="332"/>
        <location filename="../handover.py" line="379"/>
        <source>intact</source>
        <translation>unversehrt</translation>
    </message>
    <message>
        <location filename="../custody.py" line="39"/>
        <location filename="../handover.py" line="332"/>
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
        <location filename="../dialogs.py" line="153"/>
        <location filename="../handover.py" line="180"/>
        <location filename="../handover.py" line="331"/>
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
        <location filename="../dialogs.py" line="158"/>
        <source>Signed by: {who} — printed name, date and time ({when}) are recorded with the signature</source>
        <translation>Unterschrift von: {who} — Name, Datum und Uhrzeit ({when}) werden mit der Unterschrift gespeichert</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="160"/>
        <source>the signer</source>
        <translation>der unterschreibenden Person</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="173"/>
        <source>Value: {value}</source>
        <translation>Wert: {value}</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="200"/>
        <location filename="../dialogs.py" line="270"/>
        <location filename="../i18n.py" line="71"/>
        <location filename="../step.py" line="931"/>
        <source>Sign</source>
        <translation>Unterschreiben</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="211"/>
        <location filename="../i18n.py" line="70"/>
        <location filename="../step.py" line="80"/>
        <location filename="../step.py" line="1049"/>
        <source>Witness</source>
        <translation>Bezeugen</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="220"/>
        <source>Acknowledge the exception</source>
        <translation>Ausnahme bestätigen</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="223"/>
        <location filename="../step.py" line="1094"/>
        <source>Acknowledge</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="238"/>
        <source>Approve</source>
        <translation>Freigeben</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="248"/>
        <source>Correct: {v0}</source>
        <translation>Korrigieren: {v0}</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="250"/>
        <source>Recorded value: {v0}</source>
        <translation>Erfasster Wert: {v0}</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="251"/>
        <source>The old value stays in the record beside the new one.</source>
        <translation>Der alte Wert bleibt neben dem neuen im Protokoll.</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="253"/>
        <source>Reason for the correction</source>
        <translation>Begründung der Korrektur</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="254"/>
        <location filename="../main.py" line="105"/>
        <source>Correct</source>
        <translation>Korrigieren</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="260"/>
        <source>Decision</source>
        <translation>Entscheidung</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="262"/>
        <source>Deviation number</source>
        <translation>Abweichungsnummer</translation>
    </message>
    <message>
        <location filename="../form.py" line="96"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../form.py" line="98"/>
        <location filename="../home.py" line="255"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../form.py" line="208"/>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location filename="../form.py" line="236"/>
        <location filename="../form.py" line="237"/>
        <location filename="../form.py" line="338"/>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <location filename="../form.py" line="269"/>
        <source>tap to type</source>
        <translation>zum Eingeben tippen</translation>
    </message>
    <message>
        <location filename="../form.py" line="304"/>
        <source> of {name}</source>
        <translation> von {name}</translation>
    </message>
    <message>
        <location filename="../form.py" line="338"/>
        <location filename="../step.py" line="146"/>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location filename="../form.py" line="386"/>
        <source>{field} is needed</source>
        <translation>{field} fehlt</translation>
    </message>
    <message>
        <location filename="../home.py" line="66"/>
        <location filename="../home.py" line="196"/>
        <source>Batches on this station</source>
        <translation>Chargen an dieser Station</translation>
    </message>
    <message>
        <location filename="../home.py" line="72"/>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location filename="../home.py" line="92"/>
        <source>Scan an apheresis bag to start a batch.</source>
        <translation>Apheresebeutel scannen, um eine Charge zu beginnen.</translation>
    </message>
    <message>
        <location filename="../home.py" line="109"/>
        <location filename="../home.py" line="385"/>
        <source>Start a batch</source>
        <translation>Charge beginnen</translation>
    </message>
    <message>
        <location filename="../home.py" line="125"/>
        <location filename="../main.py" line="249"/>
        <source>Order changes not checked: {v0}</source>
        <translation>Auftragsänderungen nicht geprüft: {v0}</translation>
    </message>
    <message>
        <location filename="../home.py" line="136"/>
        <source>No batch in progress.</source>
        <translation>Keine Charge in Arbeit.</translation>
    </message>
    <message>
        <location filename="../home.py" line="166"/>
        <location filename="../login.py" line="43"/>
        <source>Station {station}</source>
        <translation>Station {station}</translation>
    </message>
    <message>
        <location filename="../home.py" line="167"/>
        <location filename="../home.py" line="182"/>
        <source>No device connected</source>
        <translation>Kein Gerät angeschlossen</translation>
    </message>
    <message>
        <location filename="../home.py" line="170"/>
        <source>Not yet sent: {count}</source>
        <translation>Noch nicht gesendet: {count}</translation>
    </message>
    <message>
        <location filename="../home.py" line="171"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location filename="../home.py" line="178"/>
        <source>Fault: {names}</source>
        <translation>Störung: {names}</translation>
    </message>
    <message>
        <location filename="../home.py" line="180"/>
        <source>Devices: all {count} ok</source>
        <translation>Geräte: alle {count} OK</translation>
    </message>
    <message>
        <location filename="../home.py" line="183"/>
        <source>tap to hide</source>
        <translation>tippen zum Ausblenden</translation>
    </message>
    <message>
        <location filename="../home.py" line="183"/>
        <source>tap for details</source>
        <translation>tippen für Details</translation>
    </message>
    <message>
        <location filename="../home.py" line="186"/>
        <source>{station} · unsent: {count}</source>
        <translation>{station} · nicht gesendet: {count}</translation>
    </message>
    <message>
        <location filename="../home.py" line="196"/>
        <source>Station status</source>
        <translation>Stationsstatus</translation>
    </message>
    <message>
        <location filename="../home.py" line="216"/>
        <source>not a bag DIN: {v0}</source>
        <translation>keine Beutel-DIN: {v0}</translation>
    </message>
    <message>
        <location filename="../home.py" line="249"/>
        <source>Start a batch: choose the recipe</source>
        <translation>Charge beginnen: Rezept wählen</translation>
    </message>
    <message>
        <location filename="../home.py" line="266"/>
        <source>Bag scanned: DIN {din}</source>
        <translation>Beutel gescannt: DIN {din}</translation>
    </message>
    <message>
        <location filename="../home.py" line="266"/>
        <source>No bag scanned yet.</source>
        <translation>Noch kein Beutel gescannt.</translation>
    </message>
    <message>
        <location filename="../home.py" line="274"/>
        <source>{v0}  (v{v1})</source>
        <translation>{v0}  (v{v1})</translation>
    </message>
    <message>
        <location filename="../home.py" line="302"/>
        <source>Choose the patient&apos;s order</source>
        <translation>Auftrag des Patienten wählen</translation>
    </message>
    <message>
        <location filename="../home.py" line="306"/>
        <source>No open order for this recipe has reached this station.</source>
        <translation>Für dieses Rezept ist kein offener Auftrag an dieser Station angekommen.</translation>
    </message>
    <message>
        <location filename="../home.py" line="320"/>
        <source>Patient {patient} · order {order}
CoI {coi} · due {due}</source>
        <translation>Patient {patient} · Auftrag {order}
CoI {coi} · fällig {due}</translation>
    </message>
    <message>
        <location filename="../home.py" line="336"/>
        <source>Type the order (a supervisor signs)</source>
        <translation>Auftrag eintippen (Schichtleitung unterschreibt)</translation>
    </message>
    <message>
        <location filename="../home.py" line="375"/>
        <location filename="../step.py" line="329"/>
        <source>YYYY-MM-DD HH:MM (UTC)</source>
        <translation>JJJJ-MM-TT HH:MM (UTC)</translation>
    </message>
    <message>
        <location filename="../home.py" line="379"/>
        <source>Recipe: {title} v{version}</source>
        <translation>Rezept: {title} v{version}</translation>
    </message>
    <message>
        <location filename="../home.py" line="382"/>
        <source>Bag DIN {din}: recorded as the first scan.</source>
        <translation>Beutel-DIN {din}: als erster Scan erfasst.</translation>
    </message>
    <message>
        <location filename="../home.py" line="388"/>
        <source>Start</source>
        <translation>Beginnen</translation>
    </message>
    <message>
        <location filename="../home.py" line="409"/>
        <source>Order typed at the station (no order chosen)</source>
        <translation>Auftrag an der Station eingetippt (kein Auftrag gewählt)</translation>
    </message>
    <message>
        <location filename="../home.py" line="412"/>
        <source>Supervisor: order typed by hand</source>
        <translation>Schichtleitung: Auftrag von Hand eingetippt</translation>
    </message>
    <message>
        <location filename="../home.py" line="435"/>
        <source>Batch started</source>
        <translation>Charge begonnen</translation>
    </message>
    <message>
        <location filename="../home.py" line="442"/>
        <source>Bag recorded</source>
        <translation>Beutel erfasst</translation>
    </message>
    <message>
        <location filename="../home.py" line="451"/>
        <source>Bag scanned: DIN {v0}</source>
        <translation>Beutel gescannt: DIN {v0}</translation>
    </message>
    <message>
        <location filename="../home.py" line="464"/>
        <source>last entry {when}</source>
        <translation>letzter Eintrag {when}</translation>
    </message>
    <message>
        <location filename="../home.py" line="484"/>
        <source>{name}: {text} is not a number</source>
        <translation>{name}: {text} ist keine Zahl</translation>
    </message>
    <message>
        <location filename="../home.py" line="486"/>
        <source>{name}: {value} is outside {limits}</source>
        <translation>{name}: {value} liegt außerhalb von {limits}</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="55"/>
        <source>in progress</source>
        <translation>in Arbeit</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="56"/>
        <source>on hold</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="57"/>
        <source>completed</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="58"/>
        <source>released</source>
        <translation>freigegeben</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="59"/>
        <source>aborted</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="60"/>
        <source>performed</source>
        <translation>durchgeführt</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="61"/>
        <source>verified</source>
        <translation>geprüft</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="62"/>
        <location filename="../step.py" line="1398"/>
        <source>witnessed</source>
        <translation>bezeugt</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="63"/>
        <source>reviewed</source>
        <translation>überprüft</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="64"/>
        <source>approved</source>
        <translation>genehmigt</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="65"/>
        <source>acknowledged</source>
        <translation>bestätigt</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="66"/>
        <location filename="../widgets.py" line="178"/>
        <source>Batch</source>
        <translation>Charge</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="67"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="68"/>
        <source>Order</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="69"/>
        <source>Trainee</source>
        <translation>Auszubildende(r)</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="72"/>
        <location filename="../step.py" line="80"/>
        <source>Supervisor approval</source>
        <translation>Genehmigung der Schichtleitung</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="73"/>
        <source>Signature</source>
        <translation>Unterschrift</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="74"/>
        <location filename="../widgets.py" line="64"/>
        <source>Recorded</source>
        <translation>Erfasst</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="83"/>
        <source>an operator</source>
        <translation>einem Bediener</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="86"/>
        <source>a technician</source>
        <translation>einem Techniker</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="87"/>
        <source>an administrator</source>
        <translation>einem Administrator</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="94"/>
        <source>anyone allowed</source>
        <translation>jeder berechtigten Person</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="98"/>
        <source>{first} or {second}</source>
        <translation>{first} oder {second}</translation>
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
        <location filename="../login.py" line="19"/>
        <source>Demo users (user ID / password): olivia / op-olivia-2026 and oscar / op-oscar-2026 (operators), sam / sup-samira-2026 (supervisor), quinn / qa-quinn-2026 (QA), tess / tech-tess-2026 (technician), ada / admin-ada-2026 (admin).</source>
        <translation>Demo-Benutzer (Kennung / Passwort): olivia / op-olivia-2026 und oscar / op-oscar-2026 (Bedienung), sam / sup-samira-2026 (Schichtleitung), quinn / qa-quinn-2026 (QS), tess / tech-tess-2026 (Technik), ada / admin-ada-2026 (Administration).</translation>
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
        <location filename="../main.py" line="83"/>
        <source>Cleanroom kiosk — {v0}</source>
        <translation>Reinraum-Kiosk — {v0}</translation>
    </message>
    <message>
        <location filename="../handover.py" line="109"/>
        <location filename="../main.py" line="98"/>
        <location filename="../step.py" line="1157"/>
        <source>Home</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../custody.py" line="77"/>
        <location filename="../handover.py" line="132"/>
        <location filename="../handover.py" line="191"/>
        <location filename="../main.py" line="107"/>
        <source>Hand over</source>
        <translation>Übergeben</translation>
    </message>
    <message>
        <location filename="../handover.py" line="171"/>
        <source>{name} may not hand a batch over</source>
        <translation>{name} darf keine Charge übergeben</translation>
    </message>
    <message>
        <location filename="../handover.py" line="191"/>
        <source>Hand the batch over</source>
        <translation>Charge übergeben</translation>
    </message>
    <message>
        <location filename="../handover.py" line="237"/>
        <source>Waiting for this room</source>
        <translation>Wartet auf diesen Raum</translation>
    </message>
    <message>
        <location filename="../handover.py" line="274"/>
        <source>Asking the server…</source>
        <translation>Server wird gefragt…</translation>
    </message>
    <message>
        <location filename="../handover.py" line="293"/>
        <source>The server refused: {problem}</source>
        <translation>Der Server lehnt ab: {problem}</translation>
    </message>
    <message>
        <location filename="../handover.py" line="301"/>
        <source>{batch} · from {station}
room {room}</source>
        <translation>{batch} · von {station}
Raum {room}</translation>
    </message>
    <message>
        <location filename="../handover.py" line="306"/>
        <source> · waiting {time}</source>
        <translation> · wartet {time}</translation>
    </message>
    <message>
        <location filename="../handover.py" line="312"/>
        <source>No batch is waiting for this room.</source>
        <translation>Keine Charge wartet auf diesen Raum.</translation>
    </message>
    <message>
        <location filename="../handover.py" line="325"/>
        <source>{name} may not receive a batch</source>
        <translation>{name} darf keine Charge übernehmen</translation>
    </message>
    <message>
        <location filename="../handover.py" line="330"/>
        <source>The bag or product arrives</source>
        <translation>Beutel oder Produkt trifft ein</translation>
    </message>
    <message>
        <location filename="../handover.py" line="339"/>
        <source>Receipt of batch {batch} from station {station} for room {room}</source>
        <translation>Übernahme der Charge {batch} von Station {station} für Raum {room}</translation>
    </message>
    <message>
        <location filename="../handover.py" line="302"/>
        <location filename="../handover.py" line="340"/>
        <source>any</source>
        <translation>beliebig</translation>
    </message>
    <message>
        <location filename="../handover.py" line="50"/>
        <source>The server cannot be reached: a batch can be claimed only online.</source>
        <translation>Der Server ist nicht erreichbar: Eine Charge kann nur online übernommen werden.</translation>
    </message>
    <message>
        <location filename="../handover.py" line="55"/>
        <source>A hand-over needs the central server, and this station has none: call a supervisor.</source>
        <translation>Eine Übergabe braucht den zentralen Server, und diese Station hat keinen: Schichtleitung rufen.</translation>
    </message>
    <message>
        <location filename="../handover.py" line="71"/>
        <source>room {room}</source>
        <translation>Raum {room}</translation>
    </message>
    <message>
        <location filename="../handover.py" line="71"/>
        <source>the next room</source>
        <translation>den nächsten Raum</translation>
    </message>
    <message>
        <location filename="../handover.py" line="73"/>
        <source>Handed over to {where}; waiting for the next station to claim it. This station can show the batch but no longer record on it.</source>
        <translation>Übergeben an {where}; wartet auf Übernahme durch die nächste Station. Diese Station kann die Charge anzeigen, aber nichts mehr erfassen.</translation>
    </message>
    <message>
        <location filename="../handover.py" line="76"/>
        <source>Held by station {station}: read-only here. Claim it at this station first.</source>
        <translation>Liegt bei Station {station}: hier nur lesbar. Zuerst an dieser Station übernehmen.</translation>
    </message>
    <message>
        <location filename="../handover.py" line="85"/>
        <source>The next stage runs in room {room}, not at this station. Hand the batch over to a station in that room.</source>
        <translation>Die nächste Phase läuft in Raum {room}, nicht an dieser Station. Die Charge an eine Station in diesem Raum übergeben.</translation>
    </message>
    <message>
        <location filename="../handover.py" line="89"/>
        <source>Stage &apos;{title}&apos; runs in room {room}, not at this station. Hand the batch over to a station in that room.</source>
        <translation>Phase &apos;{title}&apos; läuft in Raum {room}, nicht an dieser Station. Die Charge an eine Station in diesem Raum übergeben.</translation>
    </message>
    <message>
        <location filename="../handover.py" line="100"/>
        <source>Batch handed over</source>
        <translation>Charge übergeben</translation>
    </message>
    <message>
        <location filename="../handover.py" line="100"/>
        <source>Batch held elsewhere</source>
        <translation>Charge liegt anderswo</translation>
    </message>
    <message>
        <location filename="../handover.py" line="103"/>
        <source>Next step: {title}</source>
        <translation>Nächster Schritt: {title}</translation>
    </message>
    <message>
        <location filename="../handover.py" line="181"/>
        <source>No patient identifiers recorded</source>
        <translation>Keine Patientenkennungen erfasst</translation>
    </message>
    <message>
        <location filename="../handover.py" line="182"/>
        <source>Goes to room: {room}</source>
        <translation>Geht in Raum: {room}</translation>
    </message>
    <message>
        <location filename="../handover.py" line="183"/>
        <source>any room (the next station to claim it)</source>
        <translation>beliebiger Raum (die nächste Station, die sie übernimmt)</translation>
    </message>
    <message>
        <location filename="../handover.py" line="186"/>
        <source>After the hand-over this station no longer records on the batch: a person at the next station signs that they received it.</source>
        <translation>Nach der Übergabe erfasst diese Station nichts mehr zur Charge: eine Person an der nächsten Station unterschreibt den Empfang.</translation>
    </message>
    <message>
        <location filename="../handover.py" line="207"/>
        <source>Batch {batch} handed over to room {room}</source>
        <translation>Charge {batch} an Raum {room} übergeben</translation>
    </message>
    <message>
        <location filename="../handover.py" line="209"/>
        <source>Batch {batch} handed over</source>
        <translation>Charge {batch} übergeben</translation>
    </message>
    <message>
        <location filename="../handover.py" line="342"/>
        <source>the person receiving the batch (an operator or a supervisor)</source>
        <translation>die Person, die die Charge übernimmt (Bediener oder Schichtleitung)</translation>
    </message>
    <message>
        <location filename="../handover.py" line="345"/>
        <source>Receive the batch</source>
        <translation>Charge übernehmen</translation>
    </message>
    <message>
        <location filename="../handover.py" line="384"/>
        <source>Batch {batch} received: it continues here</source>
        <translation>Charge {batch} übernommen: sie wird hier fortgesetzt</translation>
    </message>
    <message>
        <location filename="../main.py" line="103"/>
        <source>Hold</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <location filename="../main.py" line="109"/>
        <source>Lock</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <location filename="../main.py" line="111"/>
        <source>Log out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <location filename="../main.py" line="113"/>
        <source>Exit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../main.py" line="262"/>
        <source>Batch {v0}: {v1} (exception raised for review)</source>
        <translation>Charge {v0}: {v1} (Ausnahme zur Prüfung gemeldet)</translation>
    </message>
    <message>
        <location filename="../main.py" line="406"/>
        <source>Locked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <location filename="../main.py" line="406"/>
        <source>Locked after inactivity</source>
        <translation>Wegen Inaktivität gesperrt</translation>
    </message>
    <message>
        <location filename="../main.py" line="407"/>
        <source>{why} — your work is recorded</source>
        <translation>{why} — Ihre Arbeit ist gespeichert</translation>
    </message>
    <message>
        <location filename="../main.py" line="442"/>
        <source>Put the batch on hold</source>
        <translation>Charge anhalten</translation>
    </message>
    <message>
        <location filename="../main.py" line="444"/>
        <source>The batch stops until a supervisor resumes it.</source>
        <translation>Die Charge ruht, bis die Schichtleitung sie fortsetzt.</translation>
    </message>
    <message>
        <location filename="../main.py" line="449"/>
        <location filename="../step.py" line="1379"/>
        <source>Batch on hold</source>
        <translation>Charge angehalten</translation>
    </message>
    <message>
        <location filename="../main.py" line="451"/>
        <source>Batch on hold: {reason}</source>
        <translation>Charge angehalten: {reason}</translation>
    </message>
    <message>
        <location filename="../main.py" line="464"/>
        <source>no typed value in this batch to correct</source>
        <translation>in dieser Charge gibt es keinen eingegebenen Wert zu korrigieren</translation>
    </message>
    <message>
        <location filename="../main.py" line="479"/>
        <source>Correct a value</source>
        <translation>Einen Wert korrigieren</translation>
    </message>
    <message>
        <location filename="../main.py" line="480"/>
        <source>Choose the value to correct (the last four typed values).</source>
        <translation>Den zu korrigierenden Wert wählen (die letzten vier eingegebenen Werte).</translation>
    </message>
    <message>
        <location filename="../main.py" line="501"/>
        <source>Corrected: old and new value are both in the record</source>
        <translation>Korrigiert: alter und neuer Wert stehen beide im Protokoll</translation>
    </message>
    <message>
        <location filename="../main.py" line="512"/>
        <source>Scan ignored: finish the open dialog first</source>
        <translation>Scan ignoriert: zuerst den offenen Dialog abschließen</translation>
    </message>
    <message>
        <location filename="../main.py" line="526"/>
        <source>Scan ignored: nothing to scan on this screen ({v0})</source>
        <translation>Scan ignoriert: auf dieser Seite ist nichts zu scannen ({v0})</translation>
    </message>
    <message>
        <location filename="../main.py" line="536"/>
        <source>Close the kiosk and leave to the desktop</source>
        <translation>Kiosk schließen und zum Desktop wechseln</translation>
    </message>
    <message>
        <location filename="../main.py" line="537"/>
        <source>an admin</source>
        <translation>einem Admin</translation>
    </message>
    <message>
        <location filename="../main.py" line="538"/>
        <source>Exit the kiosk</source>
        <translation>Kiosk verlassen</translation>
    </message>
    <message>
        <location filename="../main.py" line="580"/>
        <source>The kiosk is closed with Exit and an admin signature</source>
        <translation>Der Kiosk wird mit Beenden und der Unterschrift eines Admins geschlossen</translation>
    </message>
    <message>
        <location filename="../main.py" line="588"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location filename="../home.py" line="70"/>
        <location filename="../review.py" line="54"/>
        <source>QA review</source>
        <translation>QS-Prüfung</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="77"/>
        <location filename="../review.py" line="27"/>
        <source>minor</source>
        <translation>gering</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="76"/>
        <location filename="../review.py" line="28"/>
        <source>major</source>
        <translation>erheblich</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="75"/>
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
        <location filename="../review.py" line="83"/>
        <source>QA review: choose a batch</source>
        <translation>QS-Prüfung: Charge wählen</translation>
    </message>
    <message>
        <location filename="../review.py" line="109"/>
        <source>QA review: {v0}</source>
        <translation>QS-Prüfung: {v0}</translation>
    </message>
    <message>
        <location filename="../review.py" line="111"/>
        <source>{count} review item(s), {open} open. Batch {state}.</source>
        <translation>{count} Prüfpunkt(e), {open} offen. Charge {state}.</translation>
    </message>
    <message>
        <location filename="../review.py" line="114"/>
        <source> Release is refused while any item is open.</source>
        <translation> Freigabe wird abgelehnt, solange ein Punkt offen ist.</translation>
    </message>
    <message>
        <location filename="../review.py" line="131"/>
        <source>Deviation {v0} ({v1}, {v2})</source>
        <translation>Abweichung {v0} ({v1}, {v2})</translation>
    </message>
    <message>
        <location filename="../review.py" line="147"/>
        <source>Open deviation</source>
        <translation>Abweichung eröffnen</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="85"/>
        <location filename="../review.py" line="164"/>
        <source>QA</source>
        <translation>QS</translation>
    </message>
    <message>
        <location filename="../review.py" line="167"/>
        <source>QA signature</source>
        <translation>QS-Unterschrift</translation>
    </message>
    <message>
        <location filename="../review.py" line="201"/>
        <source>Open a deviation</source>
        <translation>Eine Abweichung eröffnen</translation>
    </message>
    <message>
        <location filename="../review.py" line="204"/>
        <source>QA investigates and closes it; the batch is not released before.</source>
        <translation>Die QS untersucht und schließt sie; vorher wird die Charge nicht freigegeben.</translation>
    </message>
    <message>
        <location filename="../review.py" line="209"/>
        <source>Classification</source>
        <translation>Einstufung</translation>
    </message>
    <message>
        <location filename="../review.py" line="213"/>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <location filename="../review.py" line="225"/>
        <source>Deviation {v0} opened</source>
        <translation>Abweichung {v0} eröffnet</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="267"/>
        <location filename="../review.py" line="141"/>
        <source>Disposition</source>
        <translation>Bewertung</translation>
    </message>
    <message>
        <location filename="../review.py" line="155"/>
        <source>Nothing to review: a clean batch.</source>
        <translation>Nichts zu prüfen: eine saubere Charge.</translation>
    </message>
    <message>
        <location filename="../step.py" line="165"/>
        <source>N.A.</source>
        <translation>Entfällt</translation>
    </message>
    <message>
        <location filename="../step.py" line="178"/>
        <source>Why {v0}?</source>
        <translation>Warum {v0}?</translation>
    </message>
    <message>
        <location filename="../step.py" line="179"/>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <location filename="../step.py" line="180"/>
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
        <location filename="../step.py" line="203"/>
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
        <translation>Wert tippen (Schichtleitung)</translation>
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
        <location filename="../step.py" line="205"/>
        <source>unit {unit}</source>
        <translation>Einheit {unit}</translation>
    </message>
    <message>
        <location filename="../step.py" line="205"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../step.py" line="208"/>
        <source>{n} decimals</source>
        <translation>{n} Nachkommastellen</translation>
    </message>
    <message>
        <location filename="../step.py" line="208"/>
        <source>{n} decimal</source>
        <translation>{n} Nachkommastelle</translation>
    </message>
    <message>
        <location filename="../capture.py" line="164"/>
        <location filename="../capture.py" line="263"/>
        <location filename="../capture.py" line="351"/>
        <location filename="../capture.py" line="464"/>
        <location filename="../step.py" line="214"/>
        <location filename="../step.py" line="258"/>
        <location filename="../step.py" line="284"/>
        <location filename="../step.py" line="638"/>
        <source>Record</source>
        <translation>Erfassen</translation>
    </message>
    <message>
        <location filename="../step.py" line="248"/>
        <source>type the value on the keypad first</source>
        <translation>zuerst den Wert auf dem Tastenfeld eingeben</translation>
    </message>
    <message>
        <location filename="../capture.py" line="261"/>
        <location filename="../capture.py" line="462"/>
        <location filename="../step.py" line="253"/>
        <location filename="../step.py" line="636"/>
        <source>Outside the action limits</source>
        <translation>Außerhalb der Eingriffsgrenzen</translation>
    </message>
    <message>
        <location filename="../step.py" line="255"/>
        <source>{v0}. Recording it puts the batch on hold until a supervisor acknowledges it. Record it?</source>
        <translation>{v0}. Beim Erfassen wird die Charge angehalten, bis die Schichtleitung bestätigt. Erfassen?</translation>
    </message>
    <message>
        <location filename="../capture.py" line="275"/>
        <location filename="../capture.py" line="475"/>
        <location filename="../step.py" line="264"/>
        <location filename="../step.py" line="648"/>
        <source>Recorded — batch on hold: {v0}</source>
        <translation>Erfasst — Charge angehalten: {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="321"/>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
    <message>
        <location filename="../step.py" line="359"/>
        <source>Needs {v0}</source>
        <translation>Benötigt: {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="362"/>
        <source>Needs {v0}, takes {v1}</source>
        <translation>Benötigt: {v0}, entnimmt {v1}</translation>
    </message>
    <message>
        <location filename="../step.py" line="372"/>
        <source>Lot list: not yet pulled from the server</source>
        <translation>Chargenliste: noch nicht vom Server geholt</translation>
    </message>
    <message>
        <location filename="../step.py" line="375"/>
        <source>Lot list from the server: less than a minute old</source>
        <translation>Chargenliste vom Server: weniger als eine Minute alt</translation>
    </message>
    <message>
        <location filename="../step.py" line="377"/>
        <source>Lot list from the server: {v0} min old</source>
        <translation>Chargenliste vom Server: {v0} min alt</translation>
    </message>
    <message>
        <location filename="../step.py" line="378"/>
        <source>Lot list from the server: {v0} h old</source>
        <translation>Chargenliste vom Server: {v0} h alt</translation>
    </message>
    <message>
        <location filename="../step.py" line="389"/>
        <source>the Data Matrix on the product label (DIN and CoI)</source>
        <translation>den Data-Matrix-Code auf dem Produktetikett (DIN und CoI)</translation>
    </message>
    <message>
        <location filename="../step.py" line="393"/>
        <source>Scan {v0}</source>
        <translation>Scannen: {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="395"/>
        <source>Waiting for the scanner…</source>
        <translation>Warten auf den Scanner…</translation>
    </message>
    <message>
        <location filename="../step.py" line="438"/>
        <source>Read from {v0}: {v1}</source>
        <translation>Gelesen von {v0}: {v1}</translation>
    </message>
    <message>
        <location filename="../step.py" line="439"/>
        <source>Scan accepted</source>
        <translation>Scan angenommen</translation>
    </message>
    <message>
        <location filename="../step.py" line="453"/>
        <source>13 characters, then the check character printed in the box</source>
        <translation>13 Zeichen, dann das Prüfzeichen aus dem Kästchen</translation>
    </message>
    <message>
        <location filename="../step.py" line="462"/>
        <source>CH, 13 characters, then the check character printed in the box</source>
        <translation>CH, 13 Zeichen, dann das Prüfzeichen aus dem Kästchen</translation>
    </message>
    <message>
        <location filename="../step.py" line="536"/>
        <source>— g</source>
        <translation>— g</translation>
    </message>
    <message>
        <location filename="../step.py" line="538"/>
        <source>No reading from the balance yet</source>
        <translation>Noch kein Messwert von der Waage</translation>
    </message>
    <message>
        <location filename="../step.py" line="546"/>
        <source>Record weight</source>
        <translation>Gewicht erfassen</translation>
    </message>
    <message>
        <location filename="../step.py" line="583"/>
        <source>Tare</source>
        <translation>Tarieren</translation>
    </message>
    <message>
        <location filename="../step.py" line="583"/>
        <source>Zero</source>
        <translation>Nullstellen</translation>
    </message>
    <message>
        <location filename="../step.py" line="588"/>
        <source>Type weight
(supervisor)</source>
        <translation>Gewicht tippen
(Schichtleitung)</translation>
    </message>
    <message>
        <location filename="../step.py" line="600"/>
        <source>Balance fault: {v0}</source>
        <translation>Waagenfehler: {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="630"/>
        <source>the balance is not stable yet — wait for the stable sign</source>
        <translation>die Waage ist noch nicht stabil — auf das Stabil-Zeichen warten</translation>
    </message>
    <message>
        <location filename="../capture.py" line="262"/>
        <location filename="../capture.py" line="463"/>
        <location filename="../step.py" line="637"/>
        <source>{v0}. Recording it puts the batch on hold. Record it?</source>
        <translation>{v0}. Beim Erfassen wird die Charge angehalten. Erfassen?</translation>
    </message>
    <message>
        <location filename="../step.py" line="655"/>
        <source>{v0}: this balance takes no commands from the station — press the {v1} key on the balance itself</source>
        <translation>{v0}: diese Waage nimmt keine Befehle der Station an — die Taste {v1} an der Waage drücken</translation>
    </message>
    <message>
        <location filename="../step.py" line="663"/>
        <source>{v0} failed: {v1}</source>
        <translation>{v0} fehlgeschlagen: {v1}</translation>
    </message>
    <message>
        <location filename="../step.py" line="665"/>
        <source>{v0} sent to the balance</source>
        <translation>{v0} an die Waage gesendet</translation>
    </message>
    <message>
        <location filename="../step.py" line="673"/>
        <source>Manual weight (balance not used)</source>
        <translation>Gewicht von Hand (ohne Waage)</translation>
    </message>
    <message>
        <location filename="../capture.py" line="282"/>
        <location filename="../home.py" line="411"/>
        <location filename="../i18n.py" line="84"/>
        <location filename="../step.py" line="477"/>
        <location filename="../step.py" line="673"/>
        <location filename="../step.py" line="888"/>
        <location filename="../step.py" line="1117"/>
        <location filename="../step.py" line="1135"/>
        <source>a supervisor</source>
        <translation>der Schichtleitung</translation>
    </message>
    <message>
        <location filename="../step.py" line="83"/>
        <source>the DIN (ISBT 128) on the bag</source>
        <translation>die DIN (ISBT 128) auf dem Beutel</translation>
    </message>
    <message>
        <location filename="../step.py" line="84"/>
        <source>the chain-of-identity (CoI) label</source>
        <translation>das Chain-of-Identity-Etikett (CoI)</translation>
    </message>
    <message>
        <location filename="../step.py" line="85"/>
        <source>the GS1 label on the material</source>
        <translation>das GS1-Etikett auf dem Material</translation>
    </message>
    <message>
        <location filename="../step.py" line="86"/>
        <source>the equipment barcode</source>
        <translation>den Gerätebarcode</translation>
    </message>
    <message>
        <location filename="../step.py" line="176"/>
        <source>failed</source>
        <translation>nicht bestanden</translation>
    </message>
    <message>
        <location filename="../step.py" line="176"/>
        <source>not applicable</source>
        <translation>nicht anwendbar</translation>
    </message>
    <message>
        <location filename="../step.py" line="313"/>
        <source>Type the date and time</source>
        <translation>Datum und Uhrzeit eingeben</translation>
    </message>
    <message>
        <location filename="../step.py" line="313"/>
        <source>Type the value</source>
        <translation>Wert eingeben</translation>
    </message>
    <message>
        <location filename="../step.py" line="412"/>
        <source>Type the DIN by hand
(supervisor)</source>
        <translation>DIN von Hand eingeben
(Schichtleitung)</translation>
    </message>
    <message>
        <location filename="../step.py" line="413"/>
        <source>Type the CoI by hand
(supervisor)</source>
        <translation>CoI von Hand eingeben
(Schichtleitung)</translation>
    </message>
    <message>
        <location filename="../step.py" line="414"/>
        <source>Type the lot by hand
(supervisor)</source>
        <translation>Lot von Hand eingeben
(Schichtleitung)</translation>
    </message>
    <message>
        <location filename="../step.py" line="449"/>
        <source>DIN typed by hand (scan failed)</source>
        <translation>DIN von Hand eingegeben (Scan fehlgeschlagen)</translation>
    </message>
    <message>
        <location filename="../step.py" line="451"/>
        <source>DIN with its check character</source>
        <translation>DIN mit Prüfzeichen</translation>
    </message>
    <message>
        <location filename="../step.py" line="455"/>
        <source>DIN accepted (exception raised for review)</source>
        <translation>DIN angenommen (Ausnahme zur Prüfung gemeldet)</translation>
    </message>
    <message>
        <location filename="../step.py" line="458"/>
        <source>CoI typed by hand (scan failed)</source>
        <translation>CoI von Hand eingegeben (Scan fehlgeschlagen)</translation>
    </message>
    <message>
        <location filename="../step.py" line="460"/>
        <source>CoI with its check character</source>
        <translation>CoI mit Prüfzeichen</translation>
    </message>
    <message>
        <location filename="../step.py" line="464"/>
        <source>CoI accepted (exception raised for review)</source>
        <translation>CoI angenommen (Ausnahme zur Prüfung gemeldet)</translation>
    </message>
    <message>
        <location filename="../step.py" line="467"/>
        <source>Material label typed by hand (scan failed)</source>
        <translation>Materialetikett von Hand eingegeben (Scan fehlgeschlagen)</translation>
    </message>
    <message>
        <location filename="../step.py" line="469"/>
        <source>Text under the barcode</source>
        <translation>Text unter dem Barcode</translation>
    </message>
    <message>
        <location filename="../step.py" line="471"/>
        <source>(01) GTIN (10) lot (17) expiry, as printed under the barcode</source>
        <translation>(01) GTIN (10) Charge (17) Verfall, wie unter dem Barcode gedruckt</translation>
    </message>
    <message>
        <location filename="../step.py" line="473"/>
        <source>Lot accepted (exception raised for review)</source>
        <translation>Charge angenommen (Ausnahme zur Prüfung gemeldet)</translation>
    </message>
    <message>
        <location filename="../step.py" line="606"/>
        <source>● Stable</source>
        <translation>● Stabil</translation>
    </message>
    <message>
        <location filename="../step.py" line="606"/>
        <source>○ Not stable yet</source>
        <translation>○ Noch nicht stabil</translation>
    </message>
    <message>
        <location filename="../step.py" line="607"/>
        <source>Balance {device}</source>
        <translation>Waage {device}</translation>
    </message>
    <message>
        <location filename="../step.py" line="644"/>
        <source>Weight recorded from {device}</source>
        <translation>Gewicht von {device} erfasst</translation>
    </message>
    <message>
        <location filename="../step.py" line="675"/>
        <source>Weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <location filename="../step.py" line="688"/>
        <source>Manual weight recorded (exception raised for review)</source>
        <translation>Gewicht von Hand erfasst (Ausnahme zur Prüfung gemeldet)</translation>
    </message>
    <message>
        <location filename="../step.py" line="716"/>
        <source>Formula: {v0}</source>
        <translation>Formel: {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="726"/>
        <source>Confirm</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <location filename="../step.py" line="729"/>
        <source>Confirmed</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <location filename="../step.py" line="763"/>
        <source>Start timer</source>
        <translation>Timer starten</translation>
    </message>
    <message>
        <location filename="../step.py" line="766"/>
        <source>Timer started</source>
        <translation>Timer gestartet</translation>
    </message>
    <message>
        <location filename="../step.py" line="769"/>
        <source>Stop timer</source>
        <translation>Timer stoppen</translation>
    </message>
    <message>
        <location filename="../step.py" line="771"/>
        <source>End early
(supervisor)</source>
        <translation>Früher beenden
(Schichtleitung)</translation>
    </message>
    <message>
        <location filename="../step.py" line="821"/>
        <source>Monitoring {v0} every {v1}</source>
        <translation>Überwachung {v0} alle {v1}</translation>
    </message>
    <message>
        <location filename="../step.py" line="808"/>
        <source>No readings since {v0} ({v1})</source>
        <translation>Keine Messwerte seit {v0} ({v1})</translation>
    </message>
    <message>
        <location filename="../step.py" line="829"/>
        <source>{v0} {v1}</source>
        <translation>{v0} {v1}</translation>
    </message>
    <message>
        <location filename="../step.py" line="831"/>
        <source>alert</source>
        <translation>Warngrenzen</translation>
    </message>
    <message>
        <location filename="../step.py" line="832"/>
        <source>action</source>
        <translation>Eingriffsgrenzen</translation>
    </message>
    <message>
        <location filename="../step.py" line="839"/>
        <source>Monitoring at {v0}:
{v1}</source>
        <translation>Überwachung um {v0}:
{v1}</translation>
    </message>
    <message>
        <location filename="../step.py" line="814"/>
        <source>Monitoring stopped: {v0}</source>
        <translation>Überwachung beendet: {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="864"/>
        <source>Not started. Start it when the step begins.</source>
        <translation>Nicht gestartet. Zu Beginn des Schritts starten.</translation>
    </message>
    <message>
        <location filename="../step.py" line="868"/>
        <source>Minimum reached in {v0}</source>
        <translation>Mindestzeit erreicht in {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="871"/>
        <source>Over the maximum by {v0}</source>
        <translation>Höchstzeit überschritten um {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="875"/>
        <source>Stop within {v0}</source>
        <translation>Stoppen innerhalb von {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="877"/>
        <source>Minimum reached: stop when ready</source>
        <translation>Mindestzeit erreicht: stoppen, wenn bereit</translation>
    </message>
    <message>
        <location filename="../step.py" line="882"/>
        <source>Timer stopped</source>
        <translation>Timer gestoppt</translation>
    </message>
    <message>
        <location filename="../step.py" line="888"/>
        <source>End the timer before its minimum</source>
        <translation>Timer vor der Mindestzeit beenden</translation>
    </message>
    <message>
        <location filename="../step.py" line="898"/>
        <source>Timer ended early (exception raised for review)</source>
        <translation>Timer früher beendet (Ausnahme zur Prüfung gemeldet)</translation>
    </message>
    <message>
        <location filename="../step.py" line="914"/>
        <source>Needs the signature of {v0}, meaning “{v1}”.</source>
        <translation>Braucht die Unterschrift von {v0}, Bedeutung „{v1}“.</translation>
    </message>
    <message>
        <location filename="../step.py" line="925"/>
        <source>The signature covers: {values}</source>
        <translation>Die Unterschrift umfasst: {values}</translation>
    </message>
    <message>
        <location filename="../step.py" line="936"/>
        <source>Open QA review</source>
        <translation>QS-Prüfung öffnen</translation>
    </message>
    <message>
        <location filename="../step.py" line="952"/>
        <source>the batch record so far</source>
        <translation>das bisherige Chargenprotokoll</translation>
    </message>
    <message>
        <location filename="../step.py" line="968"/>
        <source>{kind} label × {copies}</source>
        <translation>Etikett {kind} × {copies}</translation>
    </message>
    <message>
        <location filename="../step.py" line="970"/>
        <source>Product {product}</source>
        <translation>Produkt {product}</translation>
    </message>
    <message>
        <location filename="../step.py" line="974"/>
        <source>Print label</source>
        <translation>Etikett drucken</translation>
    </message>
    <message>
        <location filename="../step.py" line="988"/>
        <source>Label printed</source>
        <translation>Etikett gedruckt</translation>
    </message>
    <message>
        <location filename="../step.py" line="1008"/>
        <source>Recorded: {v0}</source>
        <translation>Erfasst: {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1015"/>
        <source>by {v0}, {v1}</source>
        <translation>von {v0}, {v1}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1020"/>
        <source>A second person must witness this (not {who}).</source>
        <translation>Eine zweite Person muss dies bezeugen (nicht {who}).</translation>
    </message>
    <message>
        <location filename="../step.py" line="1024"/>
        <source>Needs the signature of {roles}, meaning “{meaning}”.</source>
        <translation>Braucht die Unterschrift von {roles}, Bedeutung „{meaning}“.</translation>
    </message>
    <message>
        <location filename="../step.py" line="1048"/>
        <source>a different person from {v0}</source>
        <translation>einer anderen Person als {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1106"/>
        <source>A supervisor resumes the batch with a reason.</source>
        <translation>Die Schichtleitung setzt die Charge mit Begründung fort.</translation>
    </message>
    <message>
        <location filename="../step.py" line="1108"/>
        <source>Resume (supervisor)</source>
        <translation>Fortsetzen (Schichtleitung)</translation>
    </message>
    <message>
        <location filename="../step.py" line="1117"/>
        <source>the exception and its reason</source>
        <translation>die Ausnahme und ihre Begründung</translation>
    </message>
    <message>
        <location filename="../step.py" line="1125"/>
        <source>Exception acknowledged</source>
        <translation>Ausnahme bestätigt</translation>
    </message>
    <message>
        <location filename="../step.py" line="1133"/>
        <source>Resume the batch</source>
        <translation>Charge fortsetzen</translation>
    </message>
    <message>
        <location filename="../step.py" line="1136"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location filename="../step.py" line="1144"/>
        <source>Batch resumed</source>
        <translation>Charge fortgesetzt</translation>
    </message>
    <message>
        <location filename="../step.py" line="1334"/>
        <source>{n} of max {most}</source>
        <translation>{n} von max. {most}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1342"/>
        <source>Stages: {stages}</source>
        <translation>Abschnitte: {stages}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1355"/>
        <source>Stage {n}/{total}: {title}</source>
        <translation>Abschnitt {n}/{total}: {title}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1357"/>
        <source>, day {note}</source>
        <translation>, Tag {note}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1382"/>
        <source>The batch was put on hold by hand.</source>
        <translation>Die Charge wurde von Hand angehalten.</translation>
    </message>
    <message>
        <location filename="../step.py" line="1387"/>
        <source>Batch {v0}</source>
        <translation>Charge {v0}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1396"/>
        <source>critical ({what})</source>
        <translation>kritisch ({what})</translation>
    </message>
    <message>
        <location filename="../step.py" line="1401"/>
        <source>{meaning} by {who}</source>
        <translation>{meaning} von {who}</translation>
    </message>
    <message>
        <location filename="../step.py" line="1450"/>
        <source>Custody</source>
        <translation>Übergaben</translation>
    </message>
    <message>
        <location filename="../home.py" line="71"/>
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
        <location filename="../technician.py" line="117"/>
        <source>No device connected.</source>
        <translation>Kein Gerät angeschlossen.</translation>
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
        <location filename="../technician.py" line="213"/>
        <source>Log in first.</source>
        <translation>Zuerst anmelden.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="223"/>
        <source>Identify the device in {v0} first.</source>
        <translation>Zuerst das Gerät in {v0} identifizieren.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="240"/>
        <source>{v0} is a {v1}: daily checks are for balances.</source>
        <translation>{v0} ist ein Gerät der Art {v1}: die tägliche Prüfung gilt für Waagen.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="247"/>
        <source>Serial {v0} is not registered: register it first.</source>
        <translation>Seriennummer {v0} ist nicht registriert: zuerst registrieren.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="252"/>
        <source>Daily check of {v0}</source>
        <translation>Tägliche Prüfung von {v0}</translation>
    </message>
    <message>
        <location filename="../technician.py" line="254"/>
        <source>Put the reference weight on the balance and wait until it is stable.</source>
        <translation>Das Referenzgewicht auf die Waage legen und warten, bis sie stabil ist.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="255"/>
        <source>The station reads the stable weight from the balance itself.</source>
        <translation>Die Station liest das stabile Gewicht selbst von der Waage.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="258"/>
        <source>Reference weight (g)</source>
        <translation>Referenzgewicht (g)</translation>
    </message>
    <message>
        <location filename="../technician.py" line="259"/>
        <source>Tolerance (± g)</source>
        <translation>Toleranz (± g)</translation>
    </message>
    <message>
        <location filename="../technician.py" line="267"/>
        <source>Type the reference weight and the tolerance as numbers in grams.</source>
        <translation>Referenzgewicht und Toleranz als Zahlen in Gramm eingeben.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="284"/>
        <source>Accept {v0}</source>
        <translation>{v0} abnehmen</translation>
    </message>
    <message>
        <location filename="../technician.py" line="285"/>
        <source>a technician or admin</source>
        <translation>einer Technikerin, einem Techniker oder Admin</translation>
    </message>
    <message>
        <location filename="../technician.py" line="39"/>
        <location filename="../technician.py" line="286"/>
        <source>Accept device</source>
        <translation>Gerät abnehmen</translation>
    </message>
    <message>
        <location filename="../technician.py" line="36"/>
        <source>Identify</source>
        <translation>Identifizieren</translation>
    </message>
    <message>
        <location filename="../technician.py" line="37"/>
        <source>Master data</source>
        <translation>Stammdaten</translation>
    </message>
    <message>
        <location filename="../technician.py" line="38"/>
        <source>Daily check</source>
        <translation>Tägliche Prüfung</translation>
    </message>
    <message>
        <location filename="../technician.py" line="43"/>
        <source>No devices configured on this station.</source>
        <translation>An dieser Station sind keine Geräte eingerichtet.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="311"/>
        <source>{v0}: working…</source>
        <translation>{v0}: läuft…</translation>
    </message>
    <message>
        <location filename="../technician.py" line="327"/>
        <source>{v0} not done: {v1}</source>
        <translation>{v0} nicht ausgeführt: {v1}</translation>
    </message>
    <message>
        <location filename="../station.py" line="147"/>
        <source>not recorded: {v0}</source>
        <translation>nicht gespeichert: {v0}</translation>
    </message>
    <message>
        <location filename="../station.py" line="158"/>
        <source>Signed: {signature}</source>
        <translation>Unterschrieben: {signature}</translation>
    </message>
    <message>
        <location filename="../station.py" line="159"/>
        <source>Signed</source>
        <translation>Unterschrieben</translation>
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
        <location filename="../decisions.py" line="69"/>
        <source>QA decisions not taken in: {v0}</source>
        <translation>QS-Entscheidungen nicht übernommen: {v0}</translation>
    </message>
    <message>
        <location filename="../decisions.py" line="75"/>
        <source>QC result {test} taken in for batch {batch}</source>
        <translation>QC-Ergebnis {test} für Charge {batch} übernommen</translation>
    </message>
    <message>
        <location filename="../decisions.py" line="79"/>
        <source>QA decisions from the portal taken in for batch {batch}</source>
        <translation>QS-Entscheidungen aus dem Portal für Charge {batch} übernommen</translation>
    </message>
    <message>
        <location filename="../bridge.py" line="114"/>
        <source>ok</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../bridge.py" line="114"/>
        <location filename="../home.py" line="175"/>
        <source>fault</source>
        <translation>Störung</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="479"/>
        <source>{words} — this batch&apos;s bag</source>
        <translation>{words} – Beutel dieser Charge</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="480"/>
        <source>{words} — NOT this batch&apos;s bag ({din})</source>
        <translation>{words} – NICHT der Beutel dieser Charge ({din})</translation>
    </message>
</context>
<context>
    <name>engine</name>
    <message>
        <location filename="../engine_templates.py" line="12"/>
        <source>({ai}) appears twice — scan again</source>
        <translation>({ai}) kommt zweimal vor – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="13"/>
        <source>({ai}) has characters that are not allowed — scan again</source>
        <translation>({ai}) enthält unzulässige Zeichen – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="14"/>
        <source>({ai}) is empty or longer than {length} characters — scan again</source>
        <translation>({ai}) ist leer oder länger als {length} Zeichen – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="15"/>
        <source>({ai}) is too short — scan again</source>
        <translation>({ai}) ist zu kurz – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="16"/>
        <source>Batch {id} is held by station {owner}; claim it here first.</source>
        <translation>Charge {id} liegt bei Station {owner}; zuerst hier übernehmen.</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="17"/>
        <source>CUPS did not take the job in time — check the print server</source>
        <translation>CUPS hat den Auftrag nicht rechtzeitig angenommen – Druckserver prüfen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="18"/>
        <source>CUPS is not installed on this station (no `lp` command) — install the CUPS client (Debian: cups-client) or configure a Zebra printer (zpl://host:9100)</source>
        <translation>CUPS ist an dieser Station nicht installiert (kein Befehl `lp`) – CUPS-Client installieren (Debian: cups-client) oder einen Zebra-Drucker einrichten (zpl://host:9100)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="19"/>
        <source>CUPS refused the label: {why}</source>
        <translation>CUPS hat das Etikett abgelehnt: {why}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="20"/>
        <source>CoI has characters that are not allowed — check and re-type</source>
        <translation>CoI enthält unzulässige Zeichen – prüfen und neu eingeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="21"/>
        <source>DIN check wrong (type-3 flag) — scan again or re-type</source>
        <translation>DIN-Prüfung falsch (Flag Typ 3) – erneut scannen oder neu eingeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="22"/>
        <source>DIN flags are not digits — scan again</source>
        <translation>DIN-Flags sind keine Ziffern – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="23"/>
        <source>DIN flags use a reserved value — scan again</source>
        <translation>DIN-Flags nutzen einen reservierten Wert – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="24"/>
        <source>DIN has characters that are not allowed — check and re-type</source>
        <translation>DIN enthält unzulässige Zeichen – prüfen und neu eingeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="25"/>
        <source>DIN has characters that are not allowed — scan again or re-type</source>
        <translation>DIN enthält unzulässige Zeichen – erneut scannen oder neu eingeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="26"/>
        <source>GS1 application identifier ({ai}) is not supported here</source>
        <translation>GS1-Datenbezeichner ({ai}) wird hier nicht unterstützt</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="27"/>
        <source>GS1 label is garbled — scan again</source>
        <translation>GS1-Etikett ist unlesbar – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="28"/>
        <source>ISBT 128 code {di!a} is not one the kiosk reads — scan the right code</source>
        <translation>ISBT-128-Code {di!a} liest der Kiosk nicht – den richtigen Code scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="29"/>
        <source>ISBT 128 label has extra characters — scan again</source>
        <translation>ISBT-128-Etikett hat zusätzliche Zeichen – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="30"/>
        <source>ISBT 128 label is incomplete — scan again</source>
        <translation>ISBT-128-Etikett ist unvollständig – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="31"/>
        <source>N.A. is not allowed for this check</source>
        <translation>N. A. ist für diese Prüfung nicht zulässig</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="32"/>
        <source>USB {what} {text!r} is not a hexadecimal number</source>
        <translation>USB-{what} {text!r} ist keine Hexadezimalzahl</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="33"/>
        <source>a QC result is pending ({tests})</source>
        <translation>Ein QC-Ergebnis steht aus ({tests})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="34"/>
        <source>a QC result is pending: {test}</source>
        <translation>Ein QC-Ergebnis steht aus: {test}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="35"/>
        <source>a cell count</source>
        <translation>eine Zellzählung</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="36"/>
        <source>a compound message cannot sit inside another code — scan again</source>
        <translation>Eine Sammelnachricht kann nicht in einem anderen Code stehen – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="37"/>
        <source>a confirmation</source>
        <translation>eine Bestätigung</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="38"/>
        <source>a correction needs a reason</source>
        <translation>Eine Korrektur braucht eine Begründung</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="39"/>
        <source>a deviation needs its reference number</source>
        <translation>Eine Abweichung braucht ihre Referenznummer</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="40"/>
        <source>a label</source>
        <translation>ein Etikett</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="41"/>
        <source>a reason is required</source>
        <translation>Eine Begründung ist erforderlich</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="42"/>
        <source>a result from the LIMS</source>
        <translation>ein Ergebnis aus dem LIMS</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="43"/>
        <source>a scan</source>
        <translation>einen Scan</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="44"/>
        <source>a signature</source>
        <translation>eine Unterschrift</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="45"/>
        <source>a supervisor must acknowledge this exception first</source>
        <translation>Die Schichtleitung muss diese Ausnahme zuerst bestätigen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="46"/>
        <source>a timer</source>
        <translation>einen Timer</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="47"/>
        <source>a typed value</source>
        <translation>einen eingetippten Wert</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="48"/>
        <source>a value from the equipment</source>
        <translation>einen Wert vom Gerät</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="49"/>
        <source>a value read from the equipment</source>
        <translation>einen vom Gerät gelesenen Wert</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="50"/>
        <source>a weight</source>
        <translation>ein Gewicht</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="51"/>
        <source>a weight from the balance</source>
        <translation>ein Gewicht von der Waage</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="52"/>
        <source>aborting a batch needs a reason</source>
        <translation>Der Abbruch einer Charge braucht eine Begründung</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="53"/>
        <source>acknowledge the blocking exceptions first</source>
        <translation>Zuerst die blockierenden Ausnahmen bestätigen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="54"/>
        <source>an empty reply line</source>
        <translation>eine leere Antwortzeile</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="55"/>
        <source>an override needs a reason</source>
        <translation>Eine Übersteuerung braucht eine Begründung</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="56"/>
        <source>badge not known: log in with your user ID</source>
        <translation>Ausweis unbekannt: mit Ihrer Benutzer-ID anmelden</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="57"/>
        <source>batch aborted by {who}: {reason}</source>
        <translation>Charge abgebrochen von {who}: {reason}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="58"/>
        <source>batch is not on hold</source>
        <translation>Die Charge ist nicht angehalten</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="59"/>
        <source>batch is on hold: a supervisor must resume it</source>
        <translation>Charge angehalten: die Schichtleitung muss sie fortsetzen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="60"/>
        <source>batch is on hold: {message} — a supervisor must acknowledge it</source>
        <translation>Charge angehalten: {message} – die Schichtleitung muss dies bestätigen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="61"/>
        <source>batch is {state}</source>
        <translation>Die Charge ist {state}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="62"/>
        <source>batch is {state} already</source>
        <translation>Die Charge ist bereits {state}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="63"/>
        <source>batch is {state}, not in progress</source>
        <translation>Die Charge ist {state}, nicht in Bearbeitung</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="64"/>
        <source>batch put on hold by {who}: {reason}</source>
        <translation>Charge angehalten von {who}: {reason}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="65"/>
        <source>batch {batch_id} exists already</source>
        <translation>Charge {batch_id} gibt es bereits</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="66"/>
        <source>batch {batch_id} has no pending {test} result</source>
        <translation>Charge {batch_id} hat kein ausstehendes Ergebnis {test}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="67"/>
        <source>batch {batch_id} has nothing to sign</source>
        <translation>Charge {batch_id} hat nichts zu unterschreiben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="68"/>
        <source>batch {batch_id} is {state}: no more corrections</source>
        <translation>Charge {batch_id} ist {state}: keine Korrekturen mehr</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="69"/>
        <source>batch {batch_id} is {state}: no more results</source>
        <translation>Charge {batch_id} ist {state}: keine Ergebnisse mehr</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="70"/>
        <source>batch {batch_id} needs recipe {recipe_id} v{recipe_version}, which is not loaded</source>
        <translation>Charge {batch_id} braucht Rezept {recipe_id} v{recipe_version}, das nicht geladen ist</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="71"/>
        <source>batch {batch} is held by this station already</source>
        <translation>Charge {batch} liegt bereits bei dieser Station</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="72"/>
        <source>batch {batch} is not held by this station</source>
        <translation>Charge {batch} liegt nicht bei dieser Station</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="73"/>
        <source>batch {batch} is on hold</source>
        <translation>Charge {batch} ist angehalten</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="74"/>
        <source>batch {batch} is {state} already</source>
        <translation>Charge {batch} ist bereits {state}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="75"/>
        <source>batch {id} is {state}: no more actions</source>
        <translation>Charge {id} ist {state}: keine weiteren Aktionen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="76"/>
        <source>camera simulator needs at least one picture</source>
        <translation>der Kamera-Simulator braucht mindestens ein Bild</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="77"/>
        <source>camera {source}</source>
        <translation>Kamera {source}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="78"/>
        <source>cannot evaluate &apos;{text}&apos;: {exc}</source>
        <translation>&apos;{text}&apos; kann nicht ausgewertet werden: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="79"/>
        <source>cannot give a weight in {to!r}: it is not a unit of mass</source>
        <translation>kein Gewicht in {to!r} möglich: das ist keine Masseneinheit</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="80"/>
        <source>cannot open {port}: {exc}</source>
        <translation>{port} lässt sich nicht öffnen: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="81"/>
        <source>cannot open {source}: no such video file</source>
        <translation>{source} lässt sich nicht öffnen: diese Videodatei gibt es nicht</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="82"/>
        <source>cannot open {video}: not a readable video</source>
        <translation>{video} lässt sich nicht öffnen: kein lesbares Video</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="83"/>
        <source>cannot reach the label printer at {where} ({value}) — check that it is on and connected</source>
        <translation>Etikettendrucker unter {where} nicht erreichbar ({value}) – prüfen, ob er eingeschaltet und angeschlossen ist</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="84"/>
        <source>cannot reach the server {where}: {exc}</source>
        <translation>Server {where} nicht erreichbar: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="85"/>
        <source>cannot reach {url} — check the address and that the equipment is on</source>
        <translation>{url} nicht erreichbar – Adresse prüfen und ob das Gerät eingeschaltet ist</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="86"/>
        <source>cannot read the CA bundle {ca_bundle}: {exc}</source>
        <translation>CA-Datei {ca_bundle} nicht lesbar: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="87"/>
        <source>cannot run lp: {exc}</source>
        <translation>lp lässt sich nicht ausführen: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="88"/>
        <source>chain-of-identity code is malformed — scan again</source>
        <translation>Chain-of-Identity-Code ist fehlerhaft – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="89"/>
        <source>check character wrong — scan again or re-type</source>
        <translation>Prüfzeichen falsch – erneut scannen oder neu eingeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="90"/>
        <source>check failed: {title}</source>
        <translation>Prüfung nicht bestanden: {title}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="91"/>
        <source>choose pass, fail or N.A.</source>
        <translation>Bestanden, nicht bestanden oder N. A. wählen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="92"/>
        <source>classification: must be one of {choices}</source>
        <translation>Einstufung: muss eine von {choices} sein</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="93"/>
        <source>compound message declares no structures — scan again</source>
        <translation>Sammelnachricht nennt keine Strukturen – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="94"/>
        <source>compound message has characters that are not allowed — scan again</source>
        <translation>Sammelnachricht enthält unzulässige Zeichen – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="95"/>
        <source>compound message is incomplete — scan again</source>
        <translation>Sammelnachricht ist unvollständig – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="96"/>
        <source>compound message says {said} but has {found} — scan again</source>
        <translation>Sammelnachricht nennt {said}, enthält aber {found} – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="97"/>
        <source>confirmation needs 1 &lt;= need &lt;= window, not {need}/{window}</source>
        <translation>Bestätigung braucht 1 &lt;= need &lt;= window, nicht {need}/{window}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="98"/>
        <source>copies {copies!r} is not a number</source>
        <translation>Anzahl {copies!r} ist keine Zahl</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="99"/>
        <source>copies {copies} is not between 1 and 99</source>
        <translation>Anzahl {copies} liegt nicht zwischen 1 und 99</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="100"/>
        <source>custody: the seal is not intact at {location} ({kind})</source>
        <translation>Übergabe: Das Siegel ist nicht intakt bei {location} ({kind})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="101"/>
        <source>decision must be reviewed, accepted or deviation</source>
        <translation>Entscheidung muss „geprüft“, „akzeptiert“ oder „Abweichung“ sein</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="102"/>
        <source>driver {driver} cannot read a balance: use one of mt-sics, sbi or and</source>
        <translation>Treiber {driver} kann keine Waage lesen: mt-sics, sbi oder and verwenden</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="103"/>
        <source>enter the signer&apos;s user ID and password</source>
        <translation>Benutzer-ID und Passwort der unterschreibenden Person eingeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="104"/>
        <source>exception {exception_id} is acknowledged already</source>
        <translation>Ausnahme {exception_id} ist bereits bestätigt</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="105"/>
        <source>exception {id} ({message}) was raised by {user}&apos;s own action: a different person must acknowledge it</source>
        <translation>Ausnahme {id} ({message}) entstand durch eine eigene Aktion von {user}: eine andere Person muss sie bestätigen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="106"/>
        <source>exception {id} was raised by {user}&apos;s own action: a different person must acknowledge it</source>
        <translation>Ausnahme {id} entstand durch eine eigene Aktion von {user}: eine andere Person muss sie bestätigen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="107"/>
        <source>expiry date in the SEC is not a real date — scan again</source>
        <translation>Verfallsdatum im SEC ist kein gültiges Datum – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="108"/>
        <source>expiry {expiry!r} is not a date and time</source>
        <translation>Verfall {expiry!r} ist kein Datum mit Uhrzeit</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="109"/>
        <source>first signature in this session: enter your user ID and password</source>
        <translation>Erste Unterschrift in dieser Sitzung: Benutzer-ID und Passwort eingeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="110"/>
        <source>from: say who handed the material over</source>
        <translation>Von: angeben, wer das Material übergeben hat</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="111"/>
        <source>kind: must be one of {kinds}, not {kind!r}</source>
        <translation>Art: muss eine von {kinds} sein, nicht {kind!r}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="112"/>
        <source>label printer {where}: {exc}</source>
        <translation>Etikettendrucker {where}: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="113"/>
        <source>label refused: no {what} read, this batch is {what} {expected} — scan the label&apos;s Data Matrix (DIN and CoI), or reprint the label</source>
        <translation>Etikett abgelehnt: keine {what} gelesen, diese Charge ist {what} {expected} – den Data-Matrix-Code des Etiketts (DIN und CoI) scannen oder das Etikett neu drucken</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="114"/>
        <source>location: say where the transfer happens</source>
        <translation>Ort: angeben, wo die Übergabe stattfindet</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="115"/>
        <source>logger: enter the shipper&apos;s temperature logger reading</source>
        <translation>Logger: den Messwert des Temperaturloggers im Versandbehälter eingeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="116"/>
        <source>manual weight needs a supervisor override with a reason</source>
        <translation>Ein von Hand eingegebenes Gewicht braucht eine Übersteuerung durch die Schichtleitung mit Begründung</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="117"/>
        <source>marked N.A.: {title}</source>
        <translation>Als N. A. markiert: {title}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="118"/>
        <source>material label has no lot or no expiry — scan the GS1 code</source>
        <translation>Materialetikett ohne Charge oder Verfall – den GS1-Code scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="119"/>
        <source>monitoring of {step}: nothing to record</source>
        <translation>Überwachung von {step}: nichts aufzuzeichnen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="120"/>
        <source>monitoring of {step}: that step is not running</source>
        <translation>Überwachung von {step}: dieser Schritt läuft nicht</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="121"/>
        <source>monitoring of {step}: the step monitors no equipment</source>
        <translation>Überwachung von {step}: der Schritt überwacht kein Gerät</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="122"/>
        <source>monitoring of {step}: the timer is not running</source>
        <translation>Überwachung von {step}: der Timer läuft nicht</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="123"/>
        <source>more than one code in this read — scan one code at a time</source>
        <translation>Mehr als ein Code gelesen – jeweils nur einen Code scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="124"/>
        <source>no CoI is bound to this batch: the label cannot be printed</source>
        <translation>Dieser Charge ist keine CoI zugeordnet: das Etikett kann nicht gedruckt werden</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="125"/>
        <source>no DIN in the label content</source>
        <translation>Keine DIN im Etiketteninhalt</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="126"/>
        <source>no DIN is bound to this batch: the label cannot be printed</source>
        <translation>Dieser Charge ist keine DIN zugeordnet: das Etikett kann nicht gedruckt werden</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="127"/>
        <source>no answer from the balance — check the balance&apos;s interface settings</source>
        <translation>keine Antwort von der Waage – Schnittstellen-Einstellungen der Waage prüfen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="128"/>
        <source>no answer from {port}</source>
        <translation>keine Antwort von {port}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="129"/>
        <source>no answer from {url} — check that the equipment is on</source>
        <translation>keine Antwort von {url} – prüfen, ob das Gerät eingeschaltet ist</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="130"/>
        <source>no batch {batch_id!r} on this station</source>
        <translation>Keine Charge {batch_id!r} auf dieser Station</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="131"/>
        <source>no device with {describe} is connected</source>
        <translation>kein Gerät mit {describe} angeschlossen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="132"/>
        <source>no exception {exception_id} in batch {batch_id}</source>
        <translation>Keine Ausnahme {exception_id} in Charge {batch_id}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="133"/>
        <source>no node named {unknown} in the configuration (known: {value})</source>
        <translation>kein Knoten namens {unknown} in der Konfiguration (bekannt: {value})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="134"/>
        <source>no reason</source>
        <translation>keine Begründung</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="135"/>
        <source>no reason given</source>
        <translation>keine Begründung angegeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="136"/>
        <source>no recipe {recipe_id!r} on this station</source>
        <translation>Kein Rezept {recipe_id!r} auf dieser Station</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="137"/>
        <source>no review item {item_id} in batch {batch_id}</source>
        <translation>Kein Prüfpunkt {item_id} in Charge {batch_id}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="138"/>
        <source>no {kind} is connected as {role}: connect it and identify it first</source>
        <translation>kein Gerät ({kind}) als {role} angeschlossen: zuerst anschließen und identifizieren</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="139"/>
        <source>not a GS1 label — scan the material&apos;s GS1 barcode</source>
        <translation>Kein GS1-Etikett – den GS1-Barcode des Materials scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="140"/>
        <source>not a chain-of-identity label — scan the CoI barcode</source>
        <translation>Kein Chain-of-Identity-Etikett – den CoI-Barcode scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="141"/>
        <source>not a complete DIN — scan the DIN barcode again</source>
        <translation>Keine vollständige DIN – den DIN-Barcode erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="142"/>
        <source>not a compound message — scan the 2-D code on the label</source>
        <translation>Keine Sammelnachricht – den 2D-Code auf dem Etikett scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="143"/>
        <source>not an ISBT 128 label — scan the DIN barcode on the bag</source>
        <translation>Kein ISBT-128-Etikett – den DIN-Barcode auf dem Beutel scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="144"/>
        <source>not an ISBT 128 label — scan the bag&apos;s ISBT 128 barcode</source>
        <translation>Kein ISBT-128-Etikett – den ISBT-128-Barcode des Beutels scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="145"/>
        <source>not an ISBT 128 or GS1 label — scan the bag or material barcode</source>
        <translation>Kein ISBT-128- oder GS1-Etikett – Beutel- oder Materialbarcode scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="146"/>
        <source>not an image: array of shape {shape}</source>
        <translation>kein Bild: Array der Form {shape}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="147"/>
        <source>not syncing: {exc}</source>
        <translation>keine Synchronisation: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="148"/>
        <source>nothing</source>
        <translation>nichts</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="149"/>
        <source>nothing was read — scan again</source>
        <translation>Nichts gelesen – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="150"/>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="151"/>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="152"/>
        <source>only typed entries can be corrected; devices, scans and calculations are captured</source>
        <translation>Nur eingetippte Werte sind korrigierbar; Geräte, Scans und Berechnungen werden erfasst</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="153"/>
        <source>order data typed at the station, not taken from an order: {reason}</source>
        <translation>Auftragsdaten an der Station eingegeben, nicht aus einem Auftrag übernommen: {reason}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="154"/>
        <source>order {order_id} belongs to batch {other} already</source>
        <translation>Auftrag {order_id} gehört bereits zu Charge {other}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="155"/>
        <source>order {order_id} is for recipe {recipe}</source>
        <translation>Auftrag {order_id} ist für Rezept {recipe}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="156"/>
        <source>order {order_id} is {status}: {reason}</source>
        <translation>Auftrag {order_id} ist {status}: {reason}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="157"/>
        <source>order {order_id} was {what} at the server after this batch started: {reason}</source>
        <translation>Auftrag {order_id} wurde am Server {what}, nachdem diese Charge begann: {reason}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="158"/>
        <source>out of order: the current step is {step_key}</source>
        <translation>Falsche Reihenfolge: der aktuelle Schritt ist {step_key}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="159"/>
        <source>pass, fail or N.A.</source>
        <translation>bestanden, nicht bestanden oder N. A.</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="160"/>
        <source>pass/fail</source>
        <translation>bestanden/nicht bestanden</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="161"/>
        <source>product code {product!r} is not 8 characters</source>
        <translation>Produktcode {product!r} hat nicht 8 Zeichen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="162"/>
        <source>pyzbar needs the system library libzbar0 (apt-get install libzbar0)</source>
        <translation>pyzbar braucht die Systembibliothek libzbar0 (apt-get install libzbar0)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="163"/>
        <source>recipe {recipe_id} changed since batch {batch_id} started</source>
        <translation>Rezept {recipe_id} wurde geändert, seit Charge {batch_id} begann</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="164"/>
        <source>recipe {recipe_id} v{version} is {status}, not effective</source>
        <translation>Rezept {recipe_id} v{version} ist {status}, nicht in Kraft</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="165"/>
        <source>recipe {recipe} v{version} from {where} does not match its SHA-256: not taken</source>
        <translation>Rezept {recipe} v{version} von {where} passt nicht zu seinem SHA-256: nicht übernommen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="166"/>
        <source>refused</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="167"/>
        <source>refused, already recorded by another process: {exc}</source>
        <translation>Abgelehnt, bereits von einem anderen Prozess erfasst: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="168"/>
        <source>release refused: {reasons}</source>
        <translation>Freigabe abgelehnt: {reasons}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="169"/>
        <source>roles must be some of {roles}</source>
        <translation>Rollen müssen aus {roles} stammen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="170"/>
        <source>say how to find the device: usb, by_id or url in its [devices] section</source>
        <translation>angeben, wie das Gerät zu finden ist: usb, by_id oder url in seinem Abschnitt [devices]</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="171"/>
        <source>say why: a comment is required for fail or N.A.</source>
        <translation>Begründen: bei „nicht bestanden“ oder N. A. ist ein Kommentar nötig</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="172"/>
        <source>scan without its symbology identifier — check the scanner&apos;s AIM prefix setting</source>
        <translation>Scan ohne Symbologie-Kennung – AIM-Präfix-Einstellung des Scanners prüfen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="173"/>
        <source>scanner line ending {name!r} unknown: use CR, LF or CRLF</source>
        <translation>Zeilenende {name!r} des Scanners unbekannt: CR, LF oder CRLF verwenden</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="174"/>
        <source>shipment.{name}: missing</source>
        <translation>Sendung.{name}: fehlt</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="175"/>
        <source>shipment: a shipment needs the dry shipper, logger, courier and waybill</source>
        <translation>Sendung: eine Sendung braucht Dry Shipper, Logger, Kurier und Frachtbrief</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="176"/>
        <source>simulated balance</source>
        <translation>simulierte Waage</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="177"/>
        <source>simulated camera</source>
        <translation>simulierte Kamera</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="178"/>
        <source>simulated, {endpoint}</source>
        <translation>simuliert, {endpoint}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="179"/>
        <source>start the timer first</source>
        <translation>Zuerst den Timer starten</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="180"/>
        <source>start this batch from an order: typing the order&apos;s data needs a supervisor&apos;s signature and a reason</source>
        <translation>Diese Charge aus einem Auftrag starten: das Eintippen der Auftragsdaten braucht die Unterschrift der Schichtleitung und eine Begründung</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="181"/>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="182"/>
        <source>step {key} is not a pending result in this recipe</source>
        <translation>Schritt {key} ist in diesem Rezept kein ausstehendes Ergebnis</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="183"/>
        <source>step {step_key} does not need a signature now</source>
        <translation>Schritt {step_key} braucht jetzt keine Unterschrift</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="184"/>
        <source>step {step_key} does not need a witness now</source>
        <translation>Schritt {step_key} braucht jetzt keinen Zeugen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="185"/>
        <source>step {step_key} is waiting for a signature</source>
        <translation>Schritt {step_key} wartet auf eine Unterschrift</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="186"/>
        <source>step {step_key} is waiting for a witness</source>
        <translation>Schritt {step_key} wartet auf einen Zeugen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="187"/>
        <source>step {step_key} needs {needs}, not a confirmation</source>
        <translation>Schritt {step_key} braucht {needs}, keine Bestätigung</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="188"/>
        <source>step {step_key} needs {needs}, not {given}</source>
        <translation>Schritt {step_key} braucht {needs}, nicht {given}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="189"/>
        <source>step {step} has no recorded value to correct</source>
        <translation>Schritt {step} hat keinen erfassten Wert zum Korrigieren</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="190"/>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="191"/>
        <source>that badge belongs to another user</source>
        <translation>Dieser Ausweis gehört einer anderen Person</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="192"/>
        <source>the balance cannot do {name} now (EL, logical error)</source>
        <translation>die Waage kann {name} jetzt nicht ausführen (EL, logischer Fehler)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="193"/>
        <source>the balance could not tare: it is busy or the weight did not settle — try again</source>
        <translation>die Waage konnte nicht tarieren: sie ist beschäftigt oder das Gewicht kam nicht zur Ruhe – noch einmal versuchen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="194"/>
        <source>the balance could not zero: it is busy or the weight did not settle — try again</source>
        <translation>die Waage konnte nicht nullstellen: sie ist beschäftigt oder das Gewicht kam nicht zur Ruhe – noch einmal versuchen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="195"/>
        <source>the balance did not read the command to {what} ({code})</source>
        <translation>die Waage hat den Befehl ({what}) nicht gelesen ({code})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="196"/>
        <source>the balance does not know the command {name} (ES)</source>
        <translation>die Waage kennt den Befehl {name} nicht (ES)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="197"/>
        <source>the balance does not know the command: {stripped}</source>
        <translation>die Waage kennt den Befehl nicht: {stripped}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="198"/>
        <source>the balance is busy and cannot zero now — try again</source>
        <translation>die Waage ist beschäftigt und kann jetzt nicht nullstellen – noch einmal versuchen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="199"/>
        <source>the balance is busy and does not give its serial number</source>
        <translation>die Waage ist beschäftigt und gibt ihre Seriennummer nicht aus</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="200"/>
        <source>the balance is in counting mode; set it to weighing in grams</source>
        <translation>die Waage ist im Zählmodus; auf Wiegen in Gramm umstellen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="201"/>
        <source>the balance is not stable yet — wait for the stable sign</source>
        <translation>Die Waage ist noch nicht stabil – auf das Stabilitätszeichen warten</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="202"/>
        <source>the balance is overloaded — take some of the load off the pan</source>
        <translation>die Waage ist überlastet – einen Teil der Last von der Schale nehmen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="203"/>
        <source>the balance keeps sending other lines instead of answering {what}</source>
        <translation>die Waage sendet weiter andere Zeilen, statt auf {what} zu antworten</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="204"/>
        <source>the balance prints no unit while the weight moves — wait for it to settle, or configure the balance&apos;s unit</source>
        <translation>die Waage gibt keine Einheit aus, solange sich das Gewicht ändert – warten, bis es ruhig ist, oder die Einheit der Waage einstellen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="205"/>
        <source>the balance reads below its range — check that the pan is in place</source>
        <translation>die Waage misst unter ihrem Bereich – prüfen, ob die Schale eingesetzt ist</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="206"/>
        <source>the balance received {name} garbled (ET)</source>
        <translation>die Waage hat {name} verstümmelt empfangen (ET)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="207"/>
        <source>the balance refused to {what} (wrong parameter)</source>
        <translation>die Waage hat {what} abgelehnt (falscher Parameter)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="208"/>
        <source>the balance reports error {code} — see its manual</source>
        <translation>die Waage meldet Fehler {code} – siehe ihr Handbuch</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="209"/>
        <source>the balance reports {shown}; set it to grams</source>
        <translation>die Waage meldet {shown}; auf Gramm umstellen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="210"/>
        <source>the balance reports {unit}; this step needs {unit2}</source>
        <translation>Die Waage meldet {unit}; dieser Schritt braucht {unit2}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="211"/>
        <source>the balance timeout must be positive</source>
        <translation>die Zeitgrenze der Waage muss positiv sein</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="212"/>
        <source>the balance {words} ({code}) — asked to {what}</source>
        <translation>die Waage: {words} ({code}) – Auftrag: {what}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="213"/>
        <source>the balance&apos;s port went away</source>
        <translation>die Schnittstelle der Waage ist weg</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="214"/>
        <source>the batch cannot be claimed now: {exc}</source>
        <translation>Die Charge kann jetzt nicht übernommen werden: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="215"/>
        <source>the batch has no step waiting</source>
        <translation>Bei der Charge wartet kein Schritt</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="216"/>
        <source>the batch is still running (current step {step})</source>
        <translation>Die Charge läuft noch (aktueller Schritt {step})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="217"/>
        <source>the batch&apos;s events from the server were not taken: {exc}</source>
        <translation>Die Ereignisse der Charge vom Server wurden nicht übernommen: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="218"/>
        <source>the calculated value confirmed</source>
        <translation>den bestätigten berechneten Wert</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="219"/>
        <source>the command line sets no passwords</source>
        <translation>die Befehlszeile setzt keine Passwörter</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="220"/>
        <source>the corrected value is the same as the recorded one</source>
        <translation>Der korrigierte Wert ist gleich dem erfassten</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="221"/>
        <source>the equipment has no node {node_id}</source>
        <translation>das Gerät hat keinen Knoten {node_id}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="222"/>
        <source>the label check reads the printed label: scan it (typing cannot check the label&apos;s DIN and CoI)</source>
        <translation>Die Etikettenprüfung liest das gedruckte Etikett: scannen (Eintippen kann DIN und CoI des Etiketts nicht prüfen)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="223"/>
        <source>the label may not have printed: {problem}</source>
        <translation>das Etikett wurde vielleicht nicht gedruckt: {problem}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="224"/>
        <source>the label printed</source>
        <translation>das gedruckte Etikett</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="225"/>
        <source>the label printer at {where} does not answer — check that it is on</source>
        <translation>der Etikettendrucker unter {where} antwortet nicht – prüfen, ob er eingeschaltet ist</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="226"/>
        <source>the label printer at {where} dropped the connection: {exc}</source>
        <translation>der Etikettendrucker unter {where} hat die Verbindung abgebrochen: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="227"/>
        <source>the label printer at {where} gives no status — check that it is a ZPL printer</source>
        <translation>der Etikettendrucker unter {where} meldet keinen Status – prüfen, ob es ein ZPL-Drucker ist</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="228"/>
        <source>the label printer at {where} has not finished printing — check it before printing again</source>
        <translation>der Etikettendrucker unter {where} hat nicht fertig gedruckt – vor erneutem Drucken prüfen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="229"/>
        <source>the label was recorded but not printed: {exc}</source>
        <translation>Das Etikett wurde erfasst, aber nicht gedruckt: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="230"/>
        <source>the load is above the range the balance can {what} — clear the pan</source>
        <translation>die Last liegt über dem Bereich, in dem die Waage {what} kann – Schale leeren</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="231"/>
        <source>the load is below the range the balance can {what} — check the pan</source>
        <translation>die Last liegt unter dem Bereich, in dem die Waage {what} kann – Schale prüfen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="232"/>
        <source>the new password must differ from the old one</source>
        <translation>Das neue Passwort muss sich vom alten unterscheiden</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="233"/>
        <source>the new password must differ from your last {count} passwords</source>
        <translation>Das neue Passwort muss sich von Ihren letzten {count} Passwörtern unterscheiden</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="234"/>
        <source>the number of retries cannot be negative</source>
        <translation>die Zahl der Wiederholungen kann nicht negativ sein</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="235"/>
        <source>the printed name is required</source>
        <translation>Der Name in Druckschrift ist erforderlich</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="236"/>
        <source>the receipt from {base_url} does not carry the signature of the server this station knows: not taken</source>
        <translation>die Quittung von {base_url} trägt nicht die Signatur des Servers, den diese Station kennt: nicht übernommen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="237"/>
        <source>the recipe does not move on: check its repeat conditions</source>
        <translation>Das Rezept geht nicht weiter: seine Wiederholungsbedingungen prüfen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="238"/>
        <source>the reference weight and the tolerance must be more than 0 g</source>
        <translation>Referenzgewicht und Toleranz müssen größer als 0 g sein</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="239"/>
        <source>the scanner read a {aim} code: not an ISBT 128 or GS1 label</source>
        <translation>Der Scanner las einen {aim}-Code: kein ISBT-128- oder GS1-Etikett</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="240"/>
        <source>the scanner sent control codes, not a label — check the scanner setup</source>
        <translation>Der Scanner sendete Steuerzeichen, kein Etikett – Scanner-Einstellung prüfen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="241"/>
        <source>the scanner&apos;s serial number is unknown: set serial_number in [devices.{role}]</source>
        <translation>die Seriennummer des Scanners ist unbekannt: serial_number in [devices.{role}] setzen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="242"/>
        <source>the server acknowledged event {acknowledged} of station {station} with a hash this station does not have</source>
        <translation>der Server hat Ereignis {acknowledged} der Station {station} mit einem Hash bestätigt, den diese Station nicht hat</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="243"/>
        <source>the server answered the claim with something of unknown form</source>
        <translation>Der Server beantwortete die Übernahme in unbekannter Form</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="244"/>
        <source>the server holds {acknowledged} events of station {station} but this database only {local}: is this the station&apos;s own database?</source>
        <translation>der Server hat {acknowledged} Ereignisse der Station {station}, diese Datenbank nur {local}: ist das die eigene Datenbank der Station?</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="245"/>
        <source>the server keeps acknowledging less than it was sent (up to {acknowledged} of {seq})</source>
        <translation>der Server bestätigt weiterhin weniger, als ihm gesandt wurde (bis {acknowledged} von {seq})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="246"/>
        <source>the server refused the claim: {exc}</source>
        <translation>Der Server lehnte die Übernahme ab: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="247"/>
        <source>the server sent a hand-over list of unknown form</source>
        <translation>Der Server sandte eine Übergabeliste in unbekannter Form</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="248"/>
        <source>the server sent a malformed event of batch {batch}: {exc}</source>
        <translation>Der Server sandte ein fehlerhaftes Ereignis der Charge {batch}: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="249"/>
        <source>the server sent an event of batch {batch} for {batch2}</source>
        <translation>Der Server sandte ein Ereignis der Charge {batch} für {batch2}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="250"/>
        <source>the server {base_url} answered of unknown form</source>
        <translation>der Server {base_url} antwortete in unbekannter Form</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="251"/>
        <source>the server {base_url} sent an unusable key: {exc}</source>
        <translation>der Server {base_url} sandte einen unbrauchbaren Schlüssel: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="252"/>
        <source>the server {base_url} sent master data of unknown form</source>
        <translation>der Server {base_url} sandte Stammdaten in unbekannter Form</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="253"/>
        <source>the server {base_url} sent no receipt key</source>
        <translation>der Server {base_url} sandte keinen Quittungsschlüssel</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="254"/>
        <source>the server {where} answered with something that is not JSON</source>
        <translation>der Server {where} antwortete mit etwas, das kein JSON ist</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="255"/>
        <source>the server {where} did not answer within {timeout:g} s</source>
        <translation>der Server {where} hat nicht innerhalb von {timeout:g} s geantwortet</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="256"/>
        <source>the server {where} failed (HTTP {status}): {detail}</source>
        <translation>der Server {where} hatte einen Fehler (HTTP {status}): {detail}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="257"/>
        <source>the server {where} refused (HTTP {status}): {detail}</source>
        <translation>der Server {where} hat abgelehnt (HTTP {status}): {detail}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="258"/>
        <source>the server {where} refused this station&apos;s token: {detail}</source>
        <translation>der Server {where} hat das Token dieser Station abgelehnt: {detail}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="259"/>
        <source>the server {where} sent a {kind} item without a version</source>
        <translation>der Server {where} sandte einen Eintrag ({kind}) ohne Version</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="260"/>
        <source>the server {where} sent an acknowledgement of unknown form</source>
        <translation>der Server {where} sandte eine Bestätigung in unbekannter Form</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="261"/>
        <source>the server {where} sent an unreadable lot consumption line</source>
        <translation>der Server {where} sandte eine unlesbare Zeile zum Lot-Verbrauch</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="262"/>
        <source>the server {where} sent lot consumption of unknown form</source>
        <translation>der Server {where} sandte den Lot-Verbrauch in unbekannter Form</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="263"/>
        <source>the server&apos;s event {acknowledged} of station {station} differs from this database&apos;s: the record was changed after it was sent</source>
        <translation>Ereignis {acknowledged} der Station {station} auf dem Server weicht von dem dieser Datenbank ab: die Aufzeichnung wurde nach dem Senden geändert</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="264"/>
        <source>the server&apos;s receipt does not match this record: {problem}</source>
        <translation>die Quittung des Servers passt nicht zu dieser Aufzeichnung: {problem}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="265"/>
        <source>the simulated scanner is unplugged</source>
        <translation>der simulierte Scanner ist ausgesteckt</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="266"/>
        <source>the simulator is not running</source>
        <translation>der Simulator läuft nicht</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="267"/>
        <source>the station is locked: enter your password to continue</source>
        <translation>Die Station ist gesperrt: zum Fortfahren Passwort eingeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="268"/>
        <source>the station token cannot be read: {exc}</source>
        <translation>das Token der Station ist nicht lesbar: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="269"/>
        <source>the sync state file cannot be created ({exc}): {path}</source>
        <translation>die Sync-Statusdatei lässt sich nicht anlegen ({exc}): {path}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="270"/>
        <source>the sync state file cannot be used ({exc}): {path}</source>
        <translation>die Sync-Statusdatei ist nicht nutzbar ({exc}): {path}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="271"/>
        <source>the timeout must be positive</source>
        <translation>die Zeitgrenze muss positiv sein</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="272"/>
        <source>the timer</source>
        <translation>den Timer</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="273"/>
        <source>the timer is already running</source>
        <translation>Der Timer läuft bereits</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="274"/>
        <source>the token belongs to station {station}, but this is station {here}</source>
        <translation>das Token gehört zu Station {station}, dies ist aber Station {here}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="275"/>
        <source>the weight did not settle within {seconds:g} s — check for draughts, vibration or a load touching the draft shield</source>
        <translation>das Gewicht kam nicht innerhalb von {seconds:g} s zur Ruhe – auf Luftzug, Erschütterung oder eine Last prüfen, die den Windschutz berührt</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="276"/>
        <source>the weight was not stable: weigh the reference again</source>
        <translation>das Gewicht war nicht stabil: die Referenz noch einmal wiegen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="277"/>
        <source>the witness must be a different person from the performer</source>
        <translation>Der Zeuge muss eine andere Person sein als die ausführende</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="278"/>
        <source>the {kind} connected as {role} reports serial {connected}, not {serial}: identify it again</source>
        <translation>das als {role} angeschlossene Gerät ({kind}) meldet die Seriennummer {connected}, nicht {serial}: noch einmal identifizieren</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="279"/>
        <source>the {kind} in {role} did not answer in time</source>
        <translation>das Gerät ({kind}) in {role} hat nicht rechtzeitig geantwortet</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="280"/>
        <source>the {kind} in {role} is not connected</source>
        <translation>das Gerät ({kind}) in {role} ist nicht angeschlossen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="281"/>
        <source>the {kind} in {role} is not connected: {detail}</source>
        <translation>das Gerät ({kind}) in {role} ist nicht angeschlossen: {detail}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="282"/>
        <source>the {kind} request failed: {exc}</source>
        <translation>die Anfrage an das Gerät ({kind}) schlug fehl: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="283"/>
        <source>there is no device role {role} at this station</source>
        <translation>an dieser Station gibt es keine Geräterolle {role}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="284"/>
        <source>this account is disabled</source>
        <translation>Dieses Konto ist deaktiviert</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="285"/>
        <source>this account is locked after failed attempts: ask an admin</source>
        <translation>Dieses Konto ist nach Fehlversuchen gesperrt: an einen Admin wenden</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="286"/>
        <source>this bag (DIN {ident}) belongs to batch {other} already: a second batch on the same collection is refused</source>
        <translation>Dieser Beutel (DIN {ident}) gehört bereits zu Charge {other}: eine zweite Charge aus derselben Entnahme wird abgelehnt</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="287"/>
        <source>this balance does not report its serial number (ESC x2_): set it in the configuration (the number on the balance&apos;s rating plate)</source>
        <translation>diese Waage meldet ihre Seriennummer nicht (ESC x2_): in der Konfiguration eintragen (die Nummer auf dem Typenschild der Waage)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="288"/>
        <source>this balance does not support {what} ({command} is not in its command list)</source>
        <translation>diese Waage unterstützt {what} nicht ({command} fehlt in ihrer Befehlsliste)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="289"/>
        <source>this label has no DIN — scan the DIN barcode on the bag</source>
        <translation>Dieses Etikett hat keine DIN – den DIN-Barcode auf dem Beutel scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="290"/>
        <source>this label has no chain-of-identity code — scan the CoI</source>
        <translation>Dieses Etikett hat keinen Chain-of-Identity-Code – die CoI scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="291"/>
        <source>this weight came from balance {device}, not from {asset} (serial {serial})</source>
        <translation>dieses Gewicht kam von Waage {device}, nicht von {asset} (Seriennummer {serial})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="292"/>
        <source>two {title}s in one read — scan one label at a time</source>
        <translation>Zweimal {title} in einem Lesevorgang – jeweils nur ein Etikett scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="293"/>
        <source>type CH, the 13 CoI characters and the boxed check character</source>
        <translation>CH, die 13 CoI-Zeichen und das umrahmte Prüfzeichen eingeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="294"/>
        <source>type the 13 DIN characters and the boxed check character</source>
        <translation>Die 13 DIN-Zeichen und das umrahmte Prüfzeichen eingeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="295"/>
        <source>type the text under the barcode: each number in brackets, then its value, e.g. (01)…(10)…(17)…</source>
        <translation>Den Text unter dem Barcode eingeben: jede Nummer in Klammern, dann ihren Wert, z. B. (01)…(10)…(17)…</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="296"/>
        <source>typing an order&apos;s data needs a reason</source>
        <translation>Das Eintippen von Auftragsdaten braucht eine Begründung</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="297"/>
        <source>unexpected reply from the balance to {what} ({odd}) — check the balance&apos;s protocol settings</source>
        <translation>unerwartete Antwort der Waage auf {what} ({odd}) – Protokoll-Einstellungen der Waage prüfen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="298"/>
        <source>unexpected reply {text!r}</source>
        <translation>unerwartete Antwort {text!r}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="299"/>
        <source>unknown batch field {unknown!r}</source>
        <translation>Unbekanntes Chargenfeld {unknown!r}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="300"/>
        <source>unknown signature meaning {meaning!r}</source>
        <translation>Unbekannte Bedeutung der Unterschrift {meaning!r}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="301"/>
        <source>unreadable printer status {data!r}</source>
        <translation>unlesbarer Druckerstatus {data!r}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="302"/>
        <source>unreadable reply from the balance to {what} ({line}) — check the balance&apos;s baud rate, parity and protocol settings</source>
        <translation>unlesbare Antwort der Waage auf {what} ({line}) – Baudrate, Parität und Protokoll der Waage prüfen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="303"/>
        <source>unreadable reply {line}</source>
        <translation>unlesbare Antwort {line}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="304"/>
        <source>unreadable reply {text!r}</source>
        <translation>unlesbare Antwort {text!r}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="305"/>
        <source>unreadable scan (control characters) — scan again</source>
        <translation>unlesbarer Scan (Steuerzeichen) – noch einmal scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="306"/>
        <source>unreadable scan (far too long) — scan again</source>
        <translation>unlesbarer Scan (viel zu lang) – noch einmal scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="307"/>
        <source>unreadable scan (not text) — scan again</source>
        <translation>unlesbarer Scan (kein Text) – noch einmal scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="308"/>
        <source>unreadable weight {text!r}</source>
        <translation>unlesbares Gewicht {text!r}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="309"/>
        <source>user ID or password wrong</source>
        <translation>Benutzer-ID oder Passwort falsch</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="310"/>
        <source>user ID or password wrong: the account is now locked, ask an admin</source>
        <translation>Benutzer-ID oder Passwort falsch: das Konto ist jetzt gesperrt, an einen Admin wenden</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="311"/>
        <source>user ID {user_id!r} has been used before and is never reused</source>
        <translation>Benutzer-ID {user_id!r} wurde schon vergeben und wird nie wieder verwendet</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="312"/>
        <source>user ID: 2-32 lower-case letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;</source>
        <translation>Benutzer-ID: 2–32 Kleinbuchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; oder &apos;-&apos;</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="313"/>
        <source>wrong bag</source>
        <translation>Falscher Beutel</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="314"/>
        <source>wrong label</source>
        <translation>Falsches Etikett</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="315"/>
        <source>your account is disabled</source>
        <translation>Ihr Konto ist deaktiviert</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="316"/>
        <source>your password has expired: choose a new password</source>
        <translation>Ihr Passwort ist abgelaufen: ein neues Passwort wählen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="317"/>
        <source>your password has expired: log in and choose a new one first</source>
        <translation>Ihr Passwort ist abgelaufen: zuerst anmelden und ein neues wählen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="318"/>
        <source>your password was reset: choose a new password first</source>
        <translation>Ihr Passwort wurde zurückgesetzt: zuerst ein neues Passwort wählen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="319"/>
        <source>your password was set by an admin: log in and choose your own before signing</source>
        <translation>Ihr Passwort wurde von einem Admin gesetzt: vor dem Unterschreiben anmelden und ein eigenes wählen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="320"/>
        <source>zxing-cpp does not know the format {exc}</source>
        <translation>zxing-cpp kennt das Format {exc} nicht</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="321"/>
        <source>{asset} is a {kind}: daily checks are for balances</source>
        <translation>{asset} ist ein Gerät der Art {kind}: tägliche Prüfungen gelten für Waagen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="322"/>
        <source>{asset} is not registered equipment in use</source>
        <translation>{asset} ist kein registriertes Gerät in Gebrauch</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="323"/>
        <source>{count} deviation(s) still open ({items})</source>
        <translation>{count} Abweichung(en) noch offen ({items})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="324"/>
        <source>{count} review item(s) not yet dispositioned by QA ({items})</source>
        <translation>{count} Prüfpunkt(e) noch nicht von der QS entschieden ({items})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="325"/>
        <source>{din13!r} is not a donation identification number</source>
        <translation>{din13!r} ist keine Spendenkennnummer (DIN)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="326"/>
        <source>{exc} — check the balance&apos;s interface settings</source>
        <translation>{exc} – Schnittstellen-Einstellungen der Waage prüfen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="327"/>
        <source>{file_name} line {line}: sample {sample_id!r} is not this batch&apos;s ({wanted})</source>
        <translation>{file_name} Zeile {line}: Probe {sample_id!r} gehört nicht zu dieser Charge ({wanted})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="328"/>
        <source>{item_id} is dispositioned already</source>
        <translation>{item_id} ist bereits entschieden</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="329"/>
        <source>{label} ended early after {minutes:g} min (minimum {minimum}): {reason}</source>
        <translation>{label} vorzeitig beendet nach {minutes:g} min (Minimum {minimum}): {reason}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="330"/>
        <source>{label} is required to start the batch</source>
        <translation>{label} ist zum Start der Charge erforderlich</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="331"/>
        <source>{label} is typed, not taken from the cell counter</source>
        <translation>{label} ist eingetippt, nicht vom Zellzähler übernommen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="332"/>
        <source>{label} must be one of {choices}</source>
        <translation>{label} muss eines von {choices} sein</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="333"/>
        <source>{label} must be {limits}</source>
        <translation>{label} muss {limits} sein</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="334"/>
        <source>{label} ran {minutes:g} min, over its maximum of {maximum}</source>
        <translation>{label} lief {minutes:g} min, über dem Maximum von {maximum}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="335"/>
        <source>{label} {shown} is outside the action limits {limits}</source>
        <translation>{label} {shown} liegt außerhalb der Aktionsgrenzen {limits}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="336"/>
        <source>{label} {shown} is outside the alert limits {limits}</source>
        <translation>{label} {shown} liegt außerhalb der Warngrenzen {limits}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="337"/>
        <source>{label}: choose one of {choices}</source>
        <translation>{label}: eines von {choices} wählen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="338"/>
        <source>{label}: enter a value</source>
        <translation>{label}: einen Wert eingeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="339"/>
        <source>{label}: enter a whole number, no decimal places</source>
        <translation>{label}: eine ganze Zahl eingeben, ohne Nachkommastellen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="340"/>
        <source>{label}: enter at most 1 decimal place</source>
        <translation>{label}: höchstens 1 Nachkommastelle eingeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="341"/>
        <source>{label}: enter at most {decimals} decimal places</source>
        <translation>{label}: höchstens {decimals} Nachkommastellen eingeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="342"/>
        <source>{label}: no reading from {where} — a value typed by hand needs a supervisor override with a reason</source>
        <translation>{label}: kein Messwert von {where} – ein von Hand eingegebener Wert braucht eine Übersteuerung durch die Schichtleitung mit Begründung</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="343"/>
        <source>{label}: that time is in the future</source>
        <translation>{label}: diese Zeit liegt in der Zukunft</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="344"/>
        <source>{label}: the equipment reports {unit}; this step needs {unit2}</source>
        <translation>{label}: das Gerät meldet {unit}; dieser Schritt braucht {unit2}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="345"/>
        <source>{label}: the equipment sends no unit; this step needs {unit}</source>
        <translation>{label}: das Gerät sendet keine Einheit; dieser Schritt braucht {unit}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="346"/>
        <source>{label}: the equipment sent {value!r}, not a number</source>
        <translation>{label}: das Gerät sandte {value!r}, keine Zahl</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="347"/>
        <source>{label}: the result is in {unit}; this step needs {unit2}</source>
        <translation>{label}: das Ergebnis ist in {unit}; dieser Schritt braucht {unit2}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="348"/>
        <source>{label}: typed by hand instead of read from {where} ({reason})</source>
        <translation>{label}: von Hand eingegeben statt von {where} gelesen ({reason})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="349"/>
        <source>{label}: weight typed by hand ({reason})</source>
        <translation>{label}: Gewicht von Hand eingegeben ({reason})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="350"/>
        <source>{label}: {chosen}, expected {expected}</source>
        <translation>{label}: {chosen}, erwartet {expected}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="351"/>
        <source>{label}: {node} {shown} at {at:%H:%M} is outside the {which} limits {limits}</source>
        <translation>{label}: {node} {shown} um {at:%H:%M} liegt außerhalb der Grenzen ({which}) {limits}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="352"/>
        <source>{label}: {noun} {value} typed by hand, not scanned ({reason})</source>
        <translation>{label}: {noun} {value} von Hand eingegeben, nicht gescannt ({reason})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="353"/>
        <source>{label}: {number:g} from {file_name} is not possible here ({limits})</source>
        <translation>{label}: {number:g} aus {file_name} ist hier nicht möglich ({limits})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="354"/>
        <source>{label}: {number:g} is not possible here ({limits})</source>
        <translation>{label}: {number:g} ist hier nicht möglich ({limits})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="355"/>
        <source>{label}: {number:g} is not possible here ({limits}) — check and re-enter</source>
        <translation>{label}: {number:g} ist hier nicht möglich ({limits}) – prüfen und neu eingeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="356"/>
        <source>{label}: {problem}; used with supervisor override ({reason})</source>
        <translation>{label}: {problem}; mit Übersteuerung durch die Schichtleitung verwendet ({reason})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="357"/>
        <source>{label}: {raw!r} is not a date and time (YYYY-MM-DD HH:MM)</source>
        <translation>{label}: {raw!r} ist kein Datum mit Uhrzeit (JJJJ-MM-TT HH:MM)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="358"/>
        <source>{label}: {raw!r} is not a number</source>
        <translation>{label}: {raw!r} ist keine Zahl</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="359"/>
        <source>{label}: {remaining} min still to go (minimum {minimum})</source>
        <translation>{label}: noch {remaining} min (Minimum {minimum})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="360"/>
        <source>{label}: {value!r} is not one of {choices}</source>
        <translation>{label}: {value!r} ist keines von {choices}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="361"/>
        <source>{label}: {where} reports status {status} — not used</source>
        <translation>{label}: {where} meldet Status {status} – nicht verwendet</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="362"/>
        <source>{managed}: this station only reads them</source>
        <translation>{managed}: diese Station liest sie nur</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="363"/>
        <source>{matches} devices match {describe} ({nodes}): add the serial to usb = {{…}} in the device&apos;s section</source>
        <translation>{matches} Geräte passen zu {describe} ({nodes}): die Seriennummer bei usb = {{…}} im Abschnitt des Geräts ergänzen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="364"/>
        <source>{message}: only the result from the LIMS closes it</source>
        <translation>{message}: nur das Ergebnis aus dem LIMS schließt dies ab</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="365"/>
        <source>{name} cannot sign this: a different person must</source>
        <translation>{name} kann dies nicht unterschreiben: eine andere Person muss es tun</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="366"/>
        <source>{name} disconnected — check its cable; reconnecting</source>
        <translation>{name} getrennt – Kabel prüfen; Verbindung wird neu aufgebaut</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="367"/>
        <source>{name} does not have a role that may sign this</source>
        <translation>{name} hat keine Rolle, die dies unterschreiben darf</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="368"/>
        <source>{name} is not connected or is used by another program — check its cable</source>
        <translation>{name} ist nicht angeschlossen oder wird von einem anderen Programm benutzt – Kabel prüfen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="369"/>
        <source>{name} may not correct values</source>
        <translation>{name} darf keine Werte korrigieren</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="370"/>
        <source>{name} may not hold a batch</source>
        <translation>{name} darf keine Charge anhalten</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="371"/>
        <source>{name} may not manage devices: a technician or admin must</source>
        <translation>{name} darf keine Geräte verwalten: das muss die Technik oder ein Admin tun</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="372"/>
        <source>{name} may not open a deviation (supervisor or QA)</source>
        <translation>{name} darf keine Abweichung eröffnen (Schichtleitung oder QS)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="373"/>
        <source>{name} may not perform this step (needs {roles})</source>
        <translation>{name} darf diesen Schritt nicht ausführen (braucht {roles})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="374"/>
        <source>{name} may not start a batch</source>
        <translation>{name} darf keine Charge starten</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="375"/>
        <source>{name} stopped sending pictures — check its cable</source>
        <translation>{name} sendet keine Bilder mehr – Kabel prüfen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="376"/>
        <source>{name}: at most {most} characters</source>
        <translation>{name}: höchstens {most} Zeichen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="377"/>
        <source>{name}: cannot read the picture {picture}</source>
        <translation>{name}: das Bild {picture} ist nicht lesbar</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="378"/>
        <source>{name}: control characters are not allowed</source>
        <translation>{name}: Steuerzeichen sind nicht erlaubt</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="379"/>
        <source>{name}: required</source>
        <translation>{name}: erforderlich</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="380"/>
        <source>{node_id!r} is not a node id (ns=2;s=Name or i=2254)</source>
        <translation>{node_id!r} ist keine Knoten-ID (ns=2;s=Name oder i=2254)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="381"/>
        <source>{node_id} is not a variable: it has no value to read</source>
        <translation>{node_id} ist keine Variable: es gibt keinen Wert zu lesen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="382"/>
        <source>{path} is not there</source>
        <translation>{path} ist nicht vorhanden</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="383"/>
        <source>{port} sends data without line ends</source>
        <translation>{port} sendet Daten ohne Zeilenende</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="384"/>
        <source>{port} went away</source>
        <translation>{port} ist weg</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="385"/>
        <source>{port} went away while reading</source>
        <translation>{port} ist beim Lesen weggefallen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="386"/>
        <source>{port} went away while sending</source>
        <translation>{port} ist beim Senden weggefallen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="387"/>
        <source>{problem} — do not use it</source>
        <translation>{problem} – nicht verwenden</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="388"/>
        <source>{problem} — not used</source>
        <translation>{problem} – nicht verwendet</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="389"/>
        <source>{problem} — use another balance</source>
        <translation>{problem} – eine andere Waage verwenden</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="390"/>
        <source>{role} is a scanner, not a balance</source>
        <translation>{role} ist ein Scanner, keine Waage</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="391"/>
        <source>{role} is not a balance</source>
        <translation>{role} ist keine Waage</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="392"/>
        <source>{role} is not read by the device manager</source>
        <translation>{role} wird nicht von der Geräteverwaltung gelesen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="393"/>
        <source>{role}: no balance to read here</source>
        <translation>{role}: hier gibt es keine Waage zu lesen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="394"/>
        <source>{state}, not yet sent: {pending}</source>
        <translation>{state}, noch nicht gesendet: {pending}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="395"/>
        <source>{title} ({critical}) {value}: {status}</source>
        <translation>{title} ({critical}) {value}: {status}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="396"/>
        <source>{title} ({critical}) {value}: {status} ({limits})</source>
        <translation>{title} ({critical}) {value}: {status} ({limits})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="397"/>
        <source>{title} cannot be calculated: {exc}</source>
        <translation>{title} kann nicht berechnet werden: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="398"/>
        <source>{title} check digit wrong — scan again or re-type</source>
        <translation>{title}: Prüfziffer falsch – erneut scannen oder neu eingeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="399"/>
        <source>{title} comes from the cell counter&apos;s result file, not from the keyboard</source>
        <translation>{title} kommt aus der Ergebnisdatei des Zellzählers, nicht von der Tastatur</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="400"/>
        <source>{title} has characters that are not allowed — scan again</source>
        <translation>{title} enthält unzulässige Zeichen – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="401"/>
        <source>{title} is incomplete — scan again</source>
        <translation>{title} ist unvollständig – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="402"/>
        <source>{title} is not a real date — scan again</source>
        <translation>{title} ist kein gültiges Datum – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="403"/>
        <source>{title} reached its maximum of {limit} without meeting &apos;{until}&apos;</source>
        <translation>{title} erreichte sein Maximum von {limit}, ohne &apos;{until}&apos; zu erfüllen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="404"/>
        <source>{title} was corrected after it was used in {users}: check those results</source>
        <translation>{title} wurde korrigiert, nachdem es in {users} verwendet wurde: diese Ergebnisse prüfen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="405"/>
        <source>{title}: DIN {din} typed with its check character instead of scanned</source>
        <translation>{title}: DIN {din} mit Prüfzeichen eingetippt statt gescannt</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="406"/>
        <source>{title}: comment “{comment}”</source>
        <translation>{title}: Kommentar „{comment}“</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="407"/>
        <source>{title}: corrected from {old} to {new}</source>
        <translation>{title}: korrigiert von {old} auf {new}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="408"/>
        <source>{title}: corrected from {old} to {new} — reason: {reason}</source>
        <translation>{title}: korrigiert von {old} auf {new} – Begründung: {reason}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="409"/>
        <source>{title}: date {date} is {age} before it was entered (limit {limit})</source>
        <translation>{title}: Datum {date} liegt {age} vor der Eingabe (Grenze {limit})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="410"/>
        <source>{title}: entered {late} after the step became current (limit {limit})</source>
        <translation>{title}: {late} nach Beginn des Schritts eingegeben (Grenze {limit})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="411"/>
        <source>{title}: the formula does not give a number</source>
        <translation>{title}: die Formel ergibt keine Zahl</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="412"/>
        <source>{title}: weight recorded without a balance serial number</source>
        <translation>{title}: Gewicht ohne Seriennummer der Waage erfasst</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="413"/>
        <source>{title}: weight typed by hand ({reason})</source>
        <translation>{title}: Gewicht von Hand eingegeben ({reason})</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="414"/>
        <source>{title}: {exc}</source>
        <translation>{title}: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="415"/>
        <source>{url!r} is not an OPC UA endpoint (opc.tcp://host:port/...)</source>
        <translation>{url!r} ist kein OPC-UA-Endpunkt (opc.tcp://host:port/...)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="416"/>
        <source>{url!r}: a printer is zpl://host:port (Zebra) or cups://queue (office printer)</source>
        <translation>{url!r}: ein Drucker ist zpl://host:port (Zebra) oder cups://queue (Bürodrucker)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="417"/>
        <source>{url!r}: say the printer&apos;s address, zpl://host:9100</source>
        <translation>{url!r}: die Adresse des Druckers angeben, zpl://host:9100</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="418"/>
        <source>{url!r}: the port is not a number</source>
        <translation>{url!r}: der Port ist keine Zahl</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="419"/>
        <source>{url!r}: {queue!r} is not a CUPS queue name</source>
        <translation>{url!r}: {queue!r} ist kein Name einer CUPS-Warteschlange</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="420"/>
        <source>{url} does not offer this security mode (security none needs the server to allow it)</source>
        <translation>{url} bietet diesen Sicherheitsmodus nicht an (security none muss der Server erlauben)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="421"/>
        <source>{url} does not trust this station&apos;s certificate — the equipment&apos;s administrator must trust it</source>
        <translation>{url} vertraut dem Zertifikat dieser Station nicht – die Administration des Geräts muss ihm vertrauen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="422"/>
        <source>{url} is now {identity}, not {source}</source>
        <translation>{url} ist jetzt {identity}, nicht {source}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="423"/>
        <source>{url} presents a certificate this station does not trust — check that it is the right equipment, then install its certificate</source>
        <translation>{url} zeigt ein Zertifikat, dem diese Station nicht vertraut – prüfen, ob es das richtige Gerät ist, dann sein Zertifikat installieren</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="424"/>
        <source>{url} refused: {error}</source>
        <translation>{url} hat abgelehnt: {error}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="425"/>
        <source>{url}: no identity in {node_id}</source>
        <translation>{url}: keine Identität in {node_id}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="426"/>
        <source>{url}: the identity node {node_id} has status {status}</source>
        <translation>{url}: der Identitätsknoten {node_id} hat den Status {status}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="427"/>
        <source>{url}: {exc}</source>
        <translation>{url}: {exc}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="428"/>
        <source>{user} performed or witnessed steps of batch {batch} ({steps}): a different person must release it</source>
        <translation>{user} hat Schritte der Charge {batch} ausgeführt oder bezeugt ({steps}): eine andere Person muss sie freigeben</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="429"/>
        <source>{what} date is not a real date — scan again</source>
        <translation>{what}: Datum ist kein gültiges Datum – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="430"/>
        <source>{what} from {where} does not match its hash: not taken</source>
        <translation>{what} von {where} passt nicht zu seinem Hash: nicht übernommen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="431"/>
        <source>{what} time is not a real time — scan again</source>
        <translation>{what}: Uhrzeit ist keine gültige Uhrzeit – erneut scannen</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="432"/>
        <source>{what} typed by hand needs a supervisor&apos;s signature with a reason (the scan failed)</source>
        <translation>{what} von Hand eingegeben: braucht die Unterschrift der Schichtleitung mit Begründung (der Scan schlug fehl)</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="433"/>
        <source>{wrong_what}: scanned CoI {coi}, this batch is CoI {bound_coi}</source>
        <translation>{wrong_what}: gescannte CoI {coi}, diese Charge hat CoI {bound_coi}</translation>
    </message>
    <message>
        <location filename="../engine_templates.py" line="434"/>
        <source>{wrong_what}: scanned {what} {ident}, this batch is {what} {bound}</source>
        <translation>{wrong_what}: gescannte {what} {ident}, diese Charge hat {what} {bound}</translation>
    </message>
</context>
</TS>
