<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name />
    <message>
        <location filename="../admin.py" line="31" />
        <source>Users and roles</source>
        <translation>Benutzer und Rollen</translation>
    </message>
    <message>
        <location filename="../admin.py" line="32" />
        <source>Add a user</source>
        <translation>Benutzer hinzufügen</translation>
    </message>
    <message>
        <location filename="../admin.py" line="57" />
        <source>Reset password</source>
        <translation>Passwort zurücksetzen</translation>
    </message>
    <message>
        <location filename="../admin.py" line="60" />
        <source>Disable</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <location filename="../admin.py" line="78" />
        <source>Admin user ID</source>
        <translation>Admin-Benutzerkennung</translation>
    </message>
    <message>
        <location filename="../admin.py" line="79" />
        <source>Admin password</source>
        <translation>Admin-Passwort</translation>
    </message>
    <message>
        <location filename="../admin.py" line="103" />
        <location filename="../dialogs.py" line="140" />
        <location filename="../login.py" line="49" />
        <source>User ID</source>
        <translation>Benutzerkennung</translation>
    </message>
    <message>
        <location filename="../admin.py" line="104" />
        <source>Printed name</source>
        <translation>Name in Druckschrift</translation>
    </message>
    <message>
        <location filename="../admin.py" line="106" />
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <location filename="../admin.py" line="108" />
        <location filename="../admin.py" line="156" />
        <source>Temporary password</source>
        <translation>Vorläufiges Passwort</translation>
    </message>
    <message>
        <location filename="../admin.py" line="137" />
        <location filename="../admin.py" line="157" />
        <location filename="../dialogs.py" line="197" />
        <location filename="../dialogs.py" line="211" />
        <location filename="../dialogs.py" line="236" />
        <location filename="../main.py" line="333" />
        <source>Reason</source>
        <translation>Begründung</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="129" />
        <location filename="../login.py" line="78" />
        <source>unknown user ID</source>
        <translation>unbekannte Benutzerkennung</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="134" />
        <source>{name} performed this step: a different person must sign</source>
        <translation>{name} hat diesen Schritt ausgeführt: eine andere Person muss unterschreiben</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="141" />
        <location filename="../login.py" line="50" />
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="146" />
        <source>Meaning: {meaning}</source>
        <translation>Bedeutung: {meaning}</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="147" />
        <source>Signs: {what}</source>
        <translation>Unterschrift für: {what}</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="151" />
        <source>Batch {batch}</source>
        <translation>Charge {batch}</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="156" />
        <source>Signed by: {who} — printed name, date and time ({when}) are recorded with the signature</source>
        <translation>Unterschrift von: {who} — Name, Datum und Uhrzeit ({when}) werden mit der Unterschrift gespeichert</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="158" />
        <source>the signer</source>
        <translation>der unterschreibenden Person</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="182" />
        <location filename="../dialogs.py" line="241" />
        <location filename="../step.py" line="676" />
        <source>Sign</source>
        <translation>Unterschreiben</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="192" />
        <source>Witness</source>
        <translation>Bezeugen</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="203" />
        <location filename="../step.py" line="830" />
        <source>Acknowledge</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="217" />
        <source>Approve</source>
        <translation>Freigeben</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="228" />
        <source>Reason for the correction</source>
        <translation>Begründung der Korrektur</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="229" />
        <location filename="../main.py" line="97" />
        <source>Correct</source>
        <translation>Korrigieren</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="235" />
        <source>Decision</source>
        <translation>Entscheidung</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="237" />
        <source>Deviation number</source>
        <translation>Abweichungsnummer</translation>
    </message>
    <message>
        <location filename="../form.py" line="108" />
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../form.py" line="110" />
        <location filename="../home.py" line="175" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../form.py" line="203" />
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location filename="../form.py" line="213" />
        <location filename="../form.py" line="214" />
        <location filename="../form.py" line="304" />
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <location filename="../form.py" line="246" />
        <source>tap to type</source>
        <translation>zum Eingeben tippen</translation>
    </message>
    <message>
        <location filename="../form.py" line="281" />
        <source> of {name}</source>
        <translation> von {name}</translation>
    </message>
    <message>
        <location filename="../form.py" line="304" />
        <location filename="../step.py" line="122" />
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location filename="../form.py" line="352" />
        <source>{field} is needed</source>
        <translation>{field} fehlt</translation>
    </message>
    <message>
        <location filename="../home.py" line="54" />
        <source>Batches on this station</source>
        <translation>Chargen an dieser Station</translation>
    </message>
    <message>
        <location filename="../home.py" line="72" />
        <source>Scan an apheresis bag to start a batch.</source>
        <translation>Apheresebeutel scannen, um eine Charge zu beginnen.</translation>
    </message>
    <message>
        <location filename="../home.py" line="82" />
        <source>Start a batch</source>
        <translation>Charge beginnen</translation>
    </message>
    <message>
        <location filename="../home.py" line="104" />
        <source>No batch in progress.</source>
        <translation>Keine Charge in Arbeit.</translation>
    </message>
    <message>
        <location filename="../home.py" line="111" />
        <location filename="../login.py" line="44" />
        <source>Station {station}</source>
        <translation>Station {station}</translation>
    </message>
    <message>
        <location filename="../home.py" line="112" />
        <source>No device connected</source>
        <translation>Kein Gerät angeschlossen</translation>
    </message>
    <message>
        <location filename="../home.py" line="115" />
        <source>Not yet sent: {count}</source>
        <translation>Noch nicht gesendet: {count}</translation>
    </message>
    <message>
        <location filename="../home.py" line="116" />
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location filename="../home.py" line="168" />
        <source>Start a batch: choose the recipe</source>
        <translation>Charge beginnen: Rezept wählen</translation>
    </message>
    <message>
        <location filename="../home.py" line="225" />
        <source>YYYY-MM-DD HH:MM (UTC)</source>
        <translation>JJJJ-MM-TT HH:MM (UTC)</translation>
    </message>
    <message>
        <location filename="../home.py" line="229" />
        <source>Recipe: {title} v{version}</source>
        <translation>Rezept: {title} v{version}</translation>
    </message>
    <message>
        <location filename="../home.py" line="238" />
        <source>Start</source>
        <translation>Beginnen</translation>
    </message>
    <message>
        <location filename="../home.py" line="260" />
        <source>Batch started</source>
        <translation>Charge begonnen</translation>
    </message>
    <message>
        <location filename="../home.py" line="267" />
        <source>Bag recorded</source>
        <translation>Beutel erfasst</translation>
    </message>
    <message>
        <location filename="../home.py" line="288" />
        <source>last entry {when}</source>
        <translation>letzter Eintrag {when}</translation>
    </message>
    <message>
        <location filename="../home.py" line="307" />
        <source>{name}: {text} is not a number</source>
        <translation>{name}: {text} ist keine Zahl</translation>
    </message>
    <message>
        <location filename="../home.py" line="309" />
        <source>{name}: {value} is outside {limits}</source>
        <translation>{name}: {value} liegt außerhalb von {limits}</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="37" />
        <source>in progress</source>
        <translation>in Arbeit</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="38" />
        <source>on hold</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="39" />
        <source>completed</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="40" />
        <source>released</source>
        <translation>freigegeben</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="41" />
        <source>aborted</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="42" />
        <source>performed</source>
        <translation>durchgeführt</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="43" />
        <source>verified</source>
        <translation>geprüft</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="44" />
        <source>witnessed</source>
        <translation>bezeugt</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="45" />
        <source>reviewed</source>
        <translation>überprüft</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="46" />
        <source>approved</source>
        <translation>genehmigt</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="47" />
        <source>acknowledged</source>
        <translation>bestätigt</translation>
    </message>
    <message>
        <location filename="../keypad.py" line="185" />
        <source>Clear</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../keypad.py" line="190" />
        <source>Space</source>
        <translation>Leertaste</translation>
    </message>
    <message>
        <location filename="../login.py" line="19" />
        <source>Demo users (user ID / password): olivia / op-olivia-1 and oscar / op-oscar-1 (operators), sam / sup-samira-1 (supervisor), quinn / qa-quinn-1 (QA), tess / tech-tess-1 (technician), ada / admin-ada-1 (admin).</source>
        <translation>Demo-Benutzer (Kennung / Passwort): olivia / op-olivia-1 und oscar / op-oscar-1 (Bedienung), sam / sup-samira-1 (Schichtleitung), quinn / qa-quinn-1 (QS), tess / tech-tess-1 (Technik), ada / admin-ada-1 (Administration).</translation>
    </message>
    <message>
        <location filename="../login.py" line="42" />
        <location filename="../login.py" line="60" />
        <source>Log in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location filename="../login.py" line="45" />
        <source>Scan your badge, or type your user ID. Then type your password.</source>
        <translation>Ausweis scannen oder Benutzerkennung eingeben. Dann das Passwort eingeben.</translation>
    </message>
    <message>
        <location filename="../login.py" line="49" />
        <source>or scan your badge</source>
        <translation>oder Ausweis scannen</translation>
    </message>
    <message>
        <location filename="../login.py" line="53" />
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../login.py" line="61" />
        <source>Exit kiosk</source>
        <translation>Kiosk verlassen</translation>
    </message>
    <message>
        <location filename="../login.py" line="77" />
        <source>badge not known: type your user ID</source>
        <translation>Ausweis unbekannt: Benutzerkennung eingeben</translation>
    </message>
    <message>
        <location filename="../login.py" line="125" />
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <location filename="../login.py" line="138" />
        <source>New password</source>
        <translation>Neues Passwort</translation>
    </message>
    <message>
        <location filename="../login.py" line="139" />
        <source>Again</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <location filename="../login.py" line="145" />
        <source>the two passwords differ: try again</source>
        <translation>die beiden Passwörter sind verschieden: bitte erneut</translation>
    </message>
    <message>
        <location filename="../login.py" line="159" />
        <source>Welcome, {name}</source>
        <translation>Willkommen, {name}</translation>
    </message>
    <message>
        <location filename="../login.py" line="206" />
        <source>{name}: type your password to go on where you were.</source>
        <translation>{name}: Passwort eingeben, um dort weiterzumachen, wo Sie waren.</translation>
    </message>
    <message>
        <location filename="../login.py" line="209" />
        <source>Password of {name}</source>
        <translation>Passwort von {name}</translation>
    </message>
    <message>
        <location filename="../login.py" line="210" />
        <source>Unlock</source>
        <translation>Entsperren</translation>
    </message>
    <message>
        <location filename="../login.py" line="211" />
        <source>Another user</source>
        <translation>Andere Person</translation>
    </message>
    <message>
        <location filename="../login.py" line="231" />
        <source>Unlocked</source>
        <translation>Entsperrt</translation>
    </message>
    <message>
        <location filename="../main.py" line="90" />
        <location filename="../step.py" line="885" />
        <source>Home</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../main.py" line="95" />
        <source>Hold</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <location filename="../main.py" line="99" />
        <source>Lock</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <location filename="../main.py" line="101" />
        <source>Log out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <location filename="../main.py" line="103" />
        <source>Exit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../main.py" line="298" />
        <source>Locked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <location filename="../main.py" line="298" />
        <source>Locked after inactivity</source>
        <translation>Wegen Inaktivität gesperrt</translation>
    </message>
    <message>
        <location filename="../main.py" line="299" />
        <source>{why} — your work is recorded</source>
        <translation>{why} — Ihre Arbeit ist gespeichert</translation>
    </message>
    <message>
        <location filename="../main.py" line="334" />
        <source>The batch stops until a supervisor resumes it.</source>
        <translation>Die Charge ruht, bis die Schichtleitung sie fortsetzt.</translation>
    </message>
    <message>
        <location filename="../main.py" line="339" />
        <location filename="../step.py" line="1078" />
        <source>Batch on hold</source>
        <translation>Charge angehalten</translation>
    </message>
    <message>
        <location filename="../main.py" line="341" />
        <source>Batch on hold: {reason}</source>
        <translation>Charge angehalten: {reason}</translation>
    </message>
    <message>
        <location filename="../main.py" line="354" />
        <source>no typed value in this batch to correct</source>
        <translation>in dieser Charge gibt es keinen eingegebenen Wert zu korrigieren</translation>
    </message>
    <message>
        <location filename="../main.py" line="391" />
        <source>Corrected: old and new value are both in the record</source>
        <translation>Korrigiert: alter und neuer Wert stehen beide im Protokoll</translation>
    </message>
    <message>
        <location filename="../main.py" line="398" />
        <source>Scan ignored: finish the open dialog first</source>
        <translation>Scan ignoriert: zuerst den offenen Dialog abschließen</translation>
    </message>
    <message>
        <location filename="../main.py" line="457" />
        <source>The kiosk is closed with Exit and an admin signature</source>
        <translation>Der Kiosk wird mit Beenden und der Unterschrift eines Admins geschlossen</translation>
    </message>
    <message>
        <location filename="../main.py" line="465" />
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location filename="../review.py" line="41" />
        <source>QA review</source>
        <translation>QS-Prüfung</translation>
    </message>
    <message>
        <location filename="../review.py" line="43" />
        <source>Release batch</source>
        <translation>Charge freigeben</translation>
    </message>
    <message>
        <location filename="../review.py" line="73" />
        <source>QA review: choose a batch</source>
        <translation>QS-Prüfung: Charge wählen</translation>
    </message>
    <message>
        <location filename="../review.py" line="124" />
        <source>Disposition</source>
        <translation>Bewertung</translation>
    </message>
    <message>
        <location filename="../review.py" line="132" />
        <source>Nothing to review: a clean batch.</source>
        <translation>Nichts zu prüfen: eine saubere Charge.</translation>
    </message>
    <message>
        <location filename="../step.py" line="141" />
        <source>N.A.</source>
        <translation>Entfällt</translation>
    </message>
    <message>
        <location filename="../step.py" line="155" />
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <location filename="../step.py" line="184" />
        <location filename="../step.py" line="225" />
        <location filename="../step.py" line="251" />
        <location filename="../step.py" line="465" />
        <source>Record</source>
        <translation>Erfassen</translation>
    </message>
    <message>
        <location filename="../step.py" line="217" />
        <source>type the value on the keypad first</source>
        <translation>zuerst den Wert auf dem Tastenfeld eingeben</translation>
    </message>
    <message>
        <location filename="../step.py" line="288" />
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
    <message>
        <location filename="../step.py" line="328" />
        <source>Waiting for the scanner…</source>
        <translation>Warten auf den Scanner…</translation>
    </message>
    <message>
        <location filename="../step.py" line="341" />
        <source>Type the DIN by hand</source>
        <translation>DIN von Hand eingeben</translation>
    </message>
    <message>
        <location filename="../step.py" line="357" />
        <source>Scan accepted</source>
        <translation>Scan angenommen</translation>
    </message>
    <message>
        <location filename="../step.py" line="367" />
        <source>13 characters, then the check character printed in the box</source>
        <translation>13 Zeichen, dann das Prüfzeichen aus dem Kästchen</translation>
    </message>
    <message>
        <location filename="../step.py" line="369" />
        <source>Use the DIN printed on the bag label, then the boxed check character.</source>
        <translation>Die DIN vom Beutel-Etikett eingeben, dann das Prüfzeichen im Kästchen.</translation>
    </message>
    <message>
        <location filename="../step.py" line="372" />
        <source>DIN accepted</source>
        <translation>DIN angenommen</translation>
    </message>
    <message>
        <location filename="../step.py" line="384" />
        <source>— g</source>
        <translation>— g</translation>
    </message>
    <message>
        <location filename="../step.py" line="385" />
        <source>No reading from the balance yet</source>
        <translation>Noch kein Messwert von der Waage</translation>
    </message>
    <message>
        <location filename="../step.py" line="390" />
        <source>Record weight</source>
        <translation>Gewicht erfassen</translation>
    </message>
    <message>
        <location filename="../step.py" line="415" />
        <source>Type weight
(supervisor)</source>
        <translation>Gewicht eingeben
(Schichtleitung)</translation>
    </message>
    <message>
        <location filename="../step.py" line="457" />
        <source>the balance is not stable yet — wait for the stable sign</source>
        <translation>die Waage ist noch nicht stabil — auf das Stabil-Zeichen warten</translation>
    </message>
    <message>
        <location filename="../step.py" line="497" />
        <source>Weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <location filename="../step.py" line="510" />
        <source>Manual weight recorded (exception raised for review)</source>
        <translation>Gewicht von Hand erfasst (Ausnahme zur Prüfung gemeldet)</translation>
    </message>
    <message>
        <location filename="../step.py" line="546" />
        <source>Confirm</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <location filename="../step.py" line="549" />
        <source>Confirmed</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <location filename="../step.py" line="576" />
        <source>Start timer</source>
        <translation>Timer starten</translation>
    </message>
    <message>
        <location filename="../step.py" line="579" />
        <source>Timer started</source>
        <translation>Timer gestartet</translation>
    </message>
    <message>
        <location filename="../step.py" line="582" />
        <source>Stop timer</source>
        <translation>Timer stoppen</translation>
    </message>
    <message>
        <location filename="../step.py" line="584" />
        <source>End early
(supervisor)</source>
        <translation>Früher beenden
(Schichtleitung)</translation>
    </message>
    <message>
        <location filename="../step.py" line="618" />
        <source>Not started. Start it when the step begins.</source>
        <translation>Nicht gestartet. Zu Beginn des Schritts starten.</translation>
    </message>
    <message>
        <location filename="../step.py" line="629" />
        <source>Minimum reached: stop when ready</source>
        <translation>Mindestzeit erreicht: stoppen, wenn bereit</translation>
    </message>
    <message>
        <location filename="../step.py" line="633" />
        <source>Timer stopped</source>
        <translation>Timer gestoppt</translation>
    </message>
    <message>
        <location filename="../step.py" line="647" />
        <source>Timer ended early (exception raised for review)</source>
        <translation>Timer früher beendet (Ausnahme zur Prüfung gemeldet)</translation>
    </message>
    <message>
        <location filename="../step.py" line="672" />
        <source>The signature covers: </source>
        <translation>Die Unterschrift umfasst: </translation>
    </message>
    <message>
        <location filename="../step.py" line="681" />
        <source>Open QA review</source>
        <translation>QS-Prüfung öffnen</translation>
    </message>
    <message>
        <location filename="../step.py" line="719" />
        <source>Print label</source>
        <translation>Etikett drucken</translation>
    </message>
    <message>
        <location filename="../step.py" line="733" />
        <source>Label printed</source>
        <translation>Etikett gedruckt</translation>
    </message>
    <message>
        <location filename="../step.py" line="842" />
        <source>A supervisor resumes the batch with a reason.</source>
        <translation>Die Schichtleitung setzt die Charge mit Begründung fort.</translation>
    </message>
    <message>
        <location filename="../step.py" line="844" />
        <source>Resume (supervisor)</source>
        <translation>Fortsetzen (Schichtleitung)</translation>
    </message>
    <message>
        <location filename="../step.py" line="859" />
        <source>Exception acknowledged</source>
        <translation>Ausnahme bestätigt</translation>
    </message>
    <message>
        <location filename="../step.py" line="872" />
        <source>Batch resumed</source>
        <translation>Charge fortgesetzt</translation>
    </message>
    <message>
        <location filename="../technician.py" line="77" />
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <location filename="../technician.py" line="100" />
        <source>Equipment logbook</source>
        <translation>Geräte-Logbuch</translation>
    </message>
    <message>
        <location filename="../technician.py" line="101" />
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location filename="../technician.py" line="209" />
        <source>Log in first.</source>
        <translation>Zuerst anmelden.</translation>
    </message>
    <message>
        <location filename="../technician.py" line="248" />
        <source>Reference weight (g)</source>
        <translation>Referenzgewicht (g)</translation>
    </message>
    <message>
        <location filename="../technician.py" line="249" />
        <source>Tolerance (± g)</source>
        <translation>Toleranz (± g)</translation>
    </message>
    <message>
        <location filename="../technician.py" line="257" />
        <source>Type the reference weight and the tolerance as numbers in grams.</source>
        <translation>Referenzgewicht und Toleranz als Zahlen in Gramm eingeben.</translation>
    </message>
</context>
</TS>